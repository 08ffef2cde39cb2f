package rating

import "math/bits"

// wyrand is Wang Yi's wyrand generator, the one the Go runtime uses for its
// own cheap random numbers: a 64-bit state advanced by a constant and mixed
// by one 64×64→128-bit multiply. It passes BigCrush and PractRand. The
// style resample's hot loop draws one variate per side, and with PCG the
// next variate waits on the 128-bit multiply that advances the state; here
// the state advances by an add, so the CPU overlaps the mixing of
// consecutive variates, and a round's draw takes about a sixth less time.
// A round seeds it from its own PCG, so the draws stay a function of the
// round's seed.
type wyrand uint64

// next returns the next 64 random bits.
func (w *wyrand) next() uint64 {
	*w += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(uint64(*w), uint64(*w^0xe7037ed1a0b428db))
	return hi ^ lo
}
