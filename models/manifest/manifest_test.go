package manifest

import (
	"regexp"
	"strings"
	"testing"
)

func TestParse_Rows(t *testing.T) {
	in := "model,prompt,category,modality,file,source_image\n" +
		"Kling 2.1,\"A cat, surfing\",animals,t2v,clips/a.mp4,\n" +
		"Veo 3,A cat surfing,animals,I2V,b.webm,img/cat.png\n" +
		"Veo 3,,animals,t2v,c.mp4,\n" +
		"Veo 3,A dog,animals,x2v,d.mp4,\n" +
		"Veo 3,A dog,animals,i2v,d.mp4,\n"
	rows, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("got %d rows, want 5", len(rows))
	}
	if r := rows[0]; r.Err != nil || r.Slug != "kling-2-1" || r.Prompt != "A cat, surfing" || r.File != "clips/a.mp4" || r.Line != 2 {
		t.Errorf("row 1 = %+v", r)
	}
	if r := rows[1]; r.Err != nil || r.Modality != "i2v" || r.SourceImage != "img/cat.png" {
		t.Errorf("row 2 = %+v", r)
	}
	for i, want := range map[int]string{2: "prompt", 3: "modality", 4: "source_image"} {
		if rows[i].Err == nil || !strings.Contains(rows[i].Err.Error(), want) {
			t.Errorf("row %d: err %v, want one naming %q", i+1, rows[i].Err, want)
		}
	}
}

func TestParse_RefusesBadHeaders(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "empty"},
		{"missing column", "model,prompt,category,file\n", `missing column "modality"`},
		{"unknown column", "model,prompt,category,modality,file,extra\n", `unknown column "extra"`},
		{"duplicate column", "model,model,prompt,category,modality,file\n", "twice"},
		{"ragged row", "model,prompt,category,modality,file\na,b,c\n", "number of fields"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Kling 2.1 Master":        "kling-2-1-master",
		"  --Veo--3--  ":          "veo-3",
		"Ωμέγα":                   "",
		strings.Repeat("ab ", 40): strings.Repeat("ab-", 21) + "a",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

var slugShape = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// FuzzManifest checks that no input makes Parse panic and that every row it
// accepts is one the importer can use.
func FuzzManifest(f *testing.F) {
	f.Add("model,prompt,category,modality,file\nVeo 3,A cat,animals,t2v,a.mp4\n")
	f.Add("model,prompt,category,modality,file,source_image\nVeo,A,b,i2v,a.mp4,i.png\n")
	f.Add("\uFEFFfile,modality,category,prompt,model\na.mp4,t2v,,\"x\"\"y\",M\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := Parse(strings.NewReader(in))
		if err != nil {
			return
		}
		last := 0
		for _, r := range rows {
			if r.Line <= last {
				t.Fatalf("line numbers not increasing: %d after %d", r.Line, last)
			}
			last = r.Line
			if r.Err != nil {
				continue
			}
			if !slugShape.MatchString(r.Slug) {
				t.Fatalf("accepted row with slug %q", r.Slug)
			}
			if r.File == "" || r.Prompt == "" || (r.Modality != "t2v" && r.Modality != "i2v") {
				t.Fatalf("accepted incomplete row %+v", r)
			}
			if (r.Modality == "i2v") != (r.SourceImage != "") {
				t.Fatalf("accepted row with a source image that does not fit its modality: %+v", r)
			}
		}
	})
}

func TestLocalPath(t *testing.T) {
	for p, want := range map[string]bool{
		"clips/a.mp4":      true,
		"a.mp4":            true,
		"clips/../a.mp4":   true,
		"../a.mp4":         false,
		"clips/../../a":    false,
		"/etc/passwd":      false,
		"":                 false,
		"clips\\..\\a.mp4": false,
		"C:\\x.mp4":        false,
	} {
		if LocalPath(p) != want {
			t.Errorf("LocalPath(%q) = %v, want %v", p, !want, want)
		}
	}
}

func TestParse_FamilyAndVersionColumns(t *testing.T) {
	in := "model,prompt,category,modality,file,family,version\n" +
		"HappyHorse 1.1,A kite,nature,t2v,a.mp4,HappyHorse,1.1\n" +
		"Other,A kite,nature,t2v,b.mp4,,\n" +
		"Long,A kite,nature,t2v,c.mp4,HappyHorse," + strings.Repeat("9", 33) + "\n"
	rows, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if r := rows[0]; r.Err != nil || r.Family != "HappyHorse" || r.Version != "1.1" {
		t.Errorf("row 1: %+v", r)
	}
	if r := rows[1]; r.Err != nil || r.Family != "" || r.Version != "" {
		t.Errorf("row 2: %+v", r)
	}
	if r := rows[2]; r.Err == nil || !strings.Contains(r.Err.Error(), "version") {
		t.Errorf("a 33-character version was accepted: %+v", r)
	}
}
