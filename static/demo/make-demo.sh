#!/usr/bin/env bash
# make-demo.sh — regenerate Arena's demo clips, source images and demo.json.
#
# The demo lets a fresh Arena show real matchups before any model has been
# added. Everything here is DEMO CONTENT: five fictional "models" (Demo Aurora,
# Demo Basalt, Demo Cirrus, Demo Dune, Demo Ember) from fictional labs, each a
# distinct procedural visual style drawn by ffmpeg's lavfi sources
# (gradients, cellauto, mandelbrot, life, geq). No real model made any of it.
#
# It writes, next to this script:
#   images/   two small source images for the image-to-video prompts
#   clips/    40 clips: 8 prompts x 5 models, 320x180, 24 fps, 2-4 s;
#             H.264/yuv420p MP4 with +faststart (AAC mono for the two sound
#             prompts), and VP9 WebM for one prompt so both containers are
#             exercised. A prompt's clips share container, size and duration,
#             so none of these tells its models apart before a vote.
#   demo.json the manifest: models, prompts and which model made which clip.
#
# Blindness: a clip's file name is the first 16 hex digits of the SHA-256 of
# its bytes, so it says nothing about its model; every clip is remuxed the way
# models/media strips uploads (no metadata, bitexact muxing, H.264 SEI removed),
# and the script fails if any clip contains "Lavc", "x264" or a model's name,
# slug or organisation, or an MP4 contains "Lavf". (ffmpeg's WebM muxer always
# writes a bare "Lavf" as MuxingApp and WritingApp, even bitexact; every WebM
# it writes says the same, so it tells no model apart.)
#
# Reproducible: fixed seeds and colours, single-threaded encoders and bitexact
# flags, so the same ffmpeg build gives byte-identical files (checked by running
# it twice with ffmpeg 5.1.9 from Debian 12). Other versions give different
# bytes and names; that is fine, since demo.json is rewritten with them.
#
# Usage: static/demo/make-demo.sh        (needs ffmpeg and sha256sum; ~1 min)
set -euo pipefail

cd "$(dirname "$0")"
command -v ffmpeg >/dev/null || { echo "make-demo.sh: ffmpeg is required" >&2; exit 1; }

W=320 H=180 FPS=24
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf clips images
mkdir -p clips images

ff() { ffmpeg -nostdin -v error -y "$@"; }

# --- models: slug|name|organization|release_date|license|homepage ----------
models=(
	"demo-aurora|Demo Aurora|Demo Lab North|2025-03-04|open weights|https://example.com/demo/aurora"
	"demo-basalt|Demo Basalt|Demo Lab South|2025-06-17|proprietary|https://example.com/demo/basalt"
	"demo-cirrus|Demo Cirrus|Demo Lab North|2025-09-09|open weights|https://example.com/demo/cirrus"
	"demo-dune|Demo Dune|Demo Works West|2025-11-20|proprietary|https://example.com/demo/dune"
	"demo-ember|Demo Ember|Demo Studio East|2026-01-15|proprietary|https://example.com/demo/ember"
)

# --- prompts: key|category|modality|image|audio|seconds|container|text -------
prompts=(
	"demo-paper-boat|nature|t2v||false|3|mp4|A paper boat drifts down a rain-soaked street at dusk, neon reflections rippling in the puddles"
	"demo-starlings|motion|t2v||false|2.5|mp4|A flock of starlings folds and unfolds over a winter field, filmed from below"
	"demo-ink-bloom|abstract|t2v||false|3|mp4|Ink blooms in slow motion through clear water, lit from below in deep blue and amber"
	"demo-fog-ridge|nature|t2v||false|2|webm|Time-lapse of fog rolling over a pine ridge at sunrise, wide shot"
	"demo-painting|abstract|i2v|images/painting.png|false|3|mp4|Bring this painting to life: let the colours drift slowly like clouds"
	"demo-mosaic|motion|i2v|images/mosaic.jpg|false|3|mp4|Animate this tiled mosaic so the tiles ripple outward from the centre"
	"demo-campfire|nature|t2v||true|3|mp4|A campfire crackles under a starry sky, embers rising into the dark"
	"demo-marble|motion|t2v||true|4|mp4|A glass marble rolls across a wooden floor and comes to rest against a wall"
)

# --- source images for the i2v prompts (a few KB each) ----------------------
ff -f lavfi -i "gradients=s=${W}x${H}:seed=7:c0=0x2E5A88:c1=0xE8A33D:c2=0xB8325A:c3=0x5FA37A:nb_colors=4:x0=60:y0=40:x1=260:y1=150:type=radial" -frames:v 1 \
	-vf "scale=160:90,hue=s=0.8" -fflags +bitexact -flags +bitexact images/painting.png
ff -f lavfi -i "cellauto=s=40x24:rule=150:seed=11:random_fill_ratio=0.45" -frames:v 1 \
	-vf "scale=160:96:flags=neighbor,geq=r='if(p(X,Y),230,40)':g='if(p(X,Y),150,70)':b='if(p(X,Y),60,120)',format=yuvj420p" \
	-q:v 6 -fflags +bitexact -flags +bitexact images/mosaic.jpg

# style prints the lavfi source of one model's look for one prompt. $1 model
# slug, $2 prompt number (varies seed, hue, speed), $3 seconds.
style() {
	local m=$1 n=$2 d=$3
	local hue=$((n * 45)) seed=$((n * 7 + 1))
	case $m in
	demo-aurora) # soft drifting colour fields. Colours and end points are
		# given with the seed: gradients otherwise picks them at random.
		local palette=(0x1B998B 0xED217C 0x2D3047 0xFFFD82 0xFF9B71 0x3D5A80 0x98C1D9 0xEE6C4D)
		echo "gradients=s=${W}x${H}:r=$FPS:d=$d:speed=0.0$((n + 1)):c0=${palette[n]}:c1=${palette[(n + 3) % 8]}:c2=${palette[(n + 5) % 8]}:nb_colors=3:seed=$seed:x0=$((n * 30)):y0=0:x1=$((W - n * 20)):y1=$H,hue=h=$hue,format=yuv420p" ;;
	demo-basalt) # blocky cellular automaton in stone greys with a tint
		local rules=(30 90 110 150 18 54 60 102)
		echo "cellauto=s=80x45:r=$FPS:rule=${rules[n]}:seed=$seed:random_fill_ratio=0.5:scroll=1,scale=${W}:${H}:flags=neighbor,format=yuv420p,colorbalance=rm=0.$((n % 3 + 1)):bm=-0.1,hue=h=$hue:s=0.5" ;;
	demo-cirrus) # a zoom into the edge of the Mandelbrot set
		local xs=(-0.7436438870 -0.1011000000 0.2925000000 -1.2506600000 -0.7453000000 -0.1600000000 -1.7497000000 0.0016437220)
		local ys=(0.1318259042 0.9563000000 0.0149000000 0.0201200000 0.1127000000 1.0405000000 0.0000000000 -0.8224676333)
		echo "mandelbrot=s=${W}x${H}:r=$FPS:start_x=${xs[n]}:start_y=${ys[n]}:start_scale=1.5:end_scale=0.02:end_pts=$(( ${d%.*} * FPS + FPS )):maxiter=384,hue=h=$hue,format=yuv420p,trim=duration=$d" ;;
	demo-dune) # Conway's life in warm sand colours
		echo "life=s=80x45:r=$FPS:seed=$seed:ratio=0.3:mold=20:life_color=#E0B070:death_color=#302010:mold_color=#A06030,scale=${W}:${H}:flags=neighbor,format=yuv420p,hue=h=$((hue / 3)),trim=duration=$d" ;;
	demo-ember) # plasma waves in fire colours
		echo "color=c=black:s=${W}x${H}:r=$FPS:d=$d,format=rgb24,geq=r='128+127*sin(X/(9+3*$n)+T*2)':g='70+60*sin(Y/(7+2*$n)-T*3)':b='30+25*sin((X+$n*Y)/(19+$n)+T)',format=yuv420p" ;;
	esac
}

# sound prints the lavfi audio source for a sound prompt: a tone that differs
# by model over pink noise, so each clip's soundtrack is its own.
sound() {
	local i=$1 n=$2 d=$3
	local freqs=(196 247 294 330 392)
	echo "sine=f=${freqs[i]}:d=$d:sample_rate=48000,volume=0.3[t];anoisesrc=d=$d:c=pink:a=0.08:seed=$((n * 13 + i)):r=48000[n];[t][n]amix=inputs=2:normalize=0"
}

# remux drops all metadata, exactly as models/media does for uploads.
remux() {
	local in=$1 out=$2 fmt=$3
	local extra=(-movflags +faststart -bsf:v filter_units=remove_types=6)
	[[ $fmt == webm ]] && extra=()
	ff -i "file:$in" -map 0:V:0 -map '0:a:0?' -c copy "${extra[@]}" -map_metadata -1 -map_chapters -1 \
		-fflags +bitexact -flags:v +bitexact -flags:a +bitexact -f "$fmt" "file:$out"
}

clips_json=()
for n in "${!prompts[@]}"; do
	IFS='|' read -r key category modality image audio seconds container text <<<"${prompts[n]}"
	for i in "${!models[@]}"; do
		IFS='|' read -r slug _ <<<"${models[i]}"
		raw="$work/raw.$container"
		vsrc=$(style "$slug" "$n" "$seconds")
		inputs=(-f lavfi -i "$vsrc")
		graph="[0:v]null[v]"
		if [[ -n $image ]]; then
			# image-to-video: a slow push-in on the source image, with the
			# model's style blended over it.
			inputs+=(-loop 1 -framerate $FPS -t "$seconds" -i "$image")
			graph="[1:v]scale=${W}:${H},zoompan=z='1+0.003*on':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=1:s=${W}x${H}:fps=$FPS,format=yuv420p[img];[0:v][img]blend=all_expr='A*0.5+B*0.5',format=yuv420p[v]"
		fi
		amap=()
		if [[ $audio == true ]]; then
			graph+=";$(sound "$i" "$n" "$seconds")[a]"
			amap=(-map '[a]' -c:a aac -b:a 32k -ac 1 -ar 48000)
		fi
		if [[ $container == webm ]]; then
			vcodec=(-c:v libvpx-vp9 -b:v 0 -crf 42 -deadline good -cpu-used 4 -row-mt 0 -threads 1)
		else
			vcodec=(-c:v libx264 -preset medium -crf 30 -pix_fmt yuv420p -threads 1 -x264-params log-level=error)
		fi
		ff "${inputs[@]}" -filter_complex "$graph" -map '[v]' "${amap[@]}" "${vcodec[@]}" \
			-t "$seconds" -r $FPS -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 "$raw"
		clean="$work/clean.$container"
		remux "$raw" "$clean" "$container"
		name="clips/$(sha256sum "$clean" | cut -c1-16).$container"
		mv "$clean" "$name"
		clips_json+=("    {\"model\": \"$slug\", \"prompt\": \"$key\", \"file\": \"$name\"}")
	done
done

# --- check blindness ---------------------------------------------------------
forbidden=(Lavc x264)
for m in "${models[@]}"; do
	IFS='|' read -r slug name org _ <<<"$m"
	forbidden+=("$slug" "$name" "$org")
done
for f in clips/* images/*; do
	words=("${forbidden[@]}")
	[[ $f == *.webm ]] || words+=(Lavf)
	for word in "${words[@]}"; do
		if grep -qaiF -- "$word" "$f"; then
			echo "make-demo.sh: $f contains \"$word\"" >&2
			exit 1
		fi
	done
done

# --- manifest ------------------------------------------------------------------
join() { local sep=$1; shift; local out=$1; shift; for x in "$@"; do out+="$sep$x"; done; printf '%s' "$out"; }
models_json=()
for m in "${models[@]}"; do
	IFS='|' read -r slug name org date license home <<<"$m"
	models_json+=("    {\"slug\": \"$slug\", \"name\": \"$name\", \"organization\": \"$org\", \"release_date\": \"$date\", \"license\": \"$license\", \"homepage\": \"$home\"}")
done
prompts_json=()
for p in "${prompts[@]}"; do
	IFS='|' read -r key category modality image audio seconds container text <<<"$p"
	prompts_json+=("    {\"key\": \"$key\", \"text\": \"$text\", \"category\": \"$category\", \"modality\": \"$modality\", \"image\": \"$image\", \"audio\": $audio}")
done
# Clips are listed by file name, not in model order.
mapfile -t clips_sorted < <(printf '%s\n' "${clips_json[@]}" | sort -t'"' -k12,12)
{
	echo '{'
	echo '  "note": "Demo content: fictional models and procedurally generated clips, made by make-demo.sh. No real model made any of it.",'
	echo '  "models": ['
	join $',\n' "${models_json[@]}"
	echo $'\n  ],'
	echo '  "prompts": ['
	join $',\n' "${prompts_json[@]}"
	echo $'\n  ],'
	echo '  "clips": ['
	join $',\n' "${clips_sorted[@]}"
	echo $'\n  ]'
	echo '}'
} >demo.json

du -sh clips images demo.json

# Style features per clip (motion, brightness, saturation), measured with
# ffmpeg and written into demo.json, so that seeding the demo needs no ffmpeg.
(cd ../.. && ARENA_UPDATE_DEMO_FEATURES=1 go test -count=1 -run TestDemoFeatures ./models/)
