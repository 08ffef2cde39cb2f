package leaderboard

// fingerprintHash is a 64-bit hash of words, fast enough to run over every
// cell of every board at each recompute (FNV over formatted text cost a
// tenth of a second a board on a million votes). It must give the same sum
// on every machine and in every process: fingerprints are stored with the
// snapshots.
type fingerprintHash struct{ h uint64 }

// Constants of the 64-bit mix of MurmurHash3's finalizer and an odd
// multiplier from splitmix64: every input bit reaches every output bit.
const (
	fpMul1 = 0xff51afd7ed558ccd
	fpMul2 = 0xc4ceb9fe1a85ec53
	fpStep = 0x9e3779b97f4a7c15
)

func (f *fingerprintHash) add(words ...uint64) {
	for _, w := range words {
		x := f.h ^ (w + fpStep)
		x ^= x >> 33
		x *= fpMul1
		x ^= x >> 33
		x *= fpMul2
		x ^= x >> 33
		f.h = x
	}
}

// addString adds a short string, its length first so that the words of
// consecutive strings cannot run together.
func (f *fingerprintHash) addString(s string) {
	f.add(uint64(len(s)))
	var w uint64
	for i := 0; i < len(s); i++ {
		w = w<<8 | uint64(s[i])
		if i%8 == 7 {
			f.add(w)
			w = 0
		}
	}
	f.add(w)
}

func (f *fingerprintHash) sum() uint64 { return f.h }
