package rating

import (
	"math"
	"math/rand/v2"
)

// uniform returns a uniform variate in the open interval (0, 1), so that
// callers may take its logarithm. It reads the PCG source directly: going
// through rand.Rand's interface costs more than the rest of a typical draw.
func uniform(src *rand.PCG) float64 {
	return (float64(src.Uint64()>>11) + 0.5) * 0x1p-53
}

// binomial draws from Binomial(n, p) exactly. Small means use inversion,
// larger ones Hörmann's BTRD ("The generation of binomial random variates",
// J. Statist. Comput. Simul. 46, 1993), whose expected cost does not grow
// with n: a bootstrap round draws about fifteen thousand of these.
func binomial(src *rand.PCG, n int64, p float64) int64 {
	switch {
	case n <= 0 || p <= 0:
		return 0
	case p >= 1:
		return n
	case p > 0.5:
		return n - binomial(src, n, 1-p)
	case float64(n)*p < 10:
		return binomialInversion(src, n, p)
	}
	return btrd(src, n, p)
}

// binomialInversion walks the distribution function from 0. With n·p < 10
// and p <= 1/2 the expected number of steps is under 11, and q^n stays far
// from underflow.
func binomialInversion(src *rand.PCG, n int64, p float64) int64 {
	q := 1 - p
	s := p / q
	f0 := math.Exp(float64(n) * math.Log1p(-p))
	for {
		u := uniform(src)
		f := f0
		for k := int64(0); k <= n && k < 110; k++ {
			if u < f {
				return k
			}
			u -= f
			f *= s * float64(n-k) / float64(k+1)
		}
		// Rounding left u above the summed mass: draw again rather than bias
		// the tail. This happens with probability around 1e-16.
	}
}

// btrd is algorithm BTRD for n·p >= 10 and p <= 1/2. The step numbers in
// the comments are the paper's.
func btrd(src *rand.PCG, n int64, p float64) int64 {
	nf := float64(n)
	q := 1 - p
	npq := nf * p * q
	rnpq := math.Sqrt(npq)
	b := 1.15 + 2.53*rnpq
	a := -0.0873 + 0.0248*b + 0.01*p
	c := nf*p + 0.5
	vr := 0.92 - 4.2/b
	urvr := 0.86 * vr
	// The rest of the setup serves only the rejection steps; most draws
	// never reach them.
	var m, r, nr, alpha float64
	ready := false
	for {
		// 1: immediate acceptance.
		v := uniform(src)
		if v <= urvr {
			u := v/vr - 0.43
			return int64(math.Floor((2*a/(0.5-math.Abs(u))+b)*u + c))
		}
		if !ready {
			m = math.Floor((nf + 1) * p)
			r = p / q
			nr = (nf + 1) * r
			alpha = (2.83 + 5.1/b) * rnpq
			ready = true
		}
		// 2: generate u.
		var u float64
		if v >= vr {
			u = uniform(src) - 0.5
		} else {
			u = v/vr - 0.93
			u = math.Copysign(0.5, u) - u
			v = uniform(src) * vr
		}
		// 3: transformed rejection.
		us := 0.5 - math.Abs(u)
		kf := math.Floor((2*a/us+b)*u + c)
		if kf < 0 || kf > nf {
			continue
		}
		k := int64(kf)
		v = v * alpha / (a/(us*us) + b)
		km := math.Abs(kf - m)
		if km <= 15 {
			// 3.1: evaluate f(k)/f(m) by recursion.
			f := 1.0
			if m < kf {
				for i := m + 1; i <= kf; i++ {
					f *= nr/i - r
				}
			} else if m > kf {
				for i := kf + 1; i <= m; i++ {
					v *= nr/i - r
				}
			}
			if v <= f {
				return k
			}
			continue
		}
		// 3.2: squeeze on the log scale.
		v = math.Log(v)
		rho := (km / npq) * (((km/3+0.625)*km+1.0/6)/npq + 0.5)
		t := -km * km / (2 * npq)
		if v < t-rho {
			return k
		}
		if v > t+rho {
			continue
		}
		// 3.3 and 3.4: the final comparison with Stirling corrections.
		nm := nf - m + 1
		h := (m+0.5)*math.Log((m+1)/(r*nm)) + stirlingTail(m) + stirlingTail(nf-m)
		nk := nf - kf + 1
		if v <= h+(nf+1)*math.Log(nm/nk)+(kf+0.5)*math.Log(nk*r/(kf+1))-stirlingTail(kf)-stirlingTail(nf-kf) {
			return k
		}
	}
}

// stirlingTailTable holds log(k!) - [(k+1/2)log(k+1) - (k+1) + log(2π)/2]
// for k = 0..9, where the series below is not yet accurate.
var stirlingTailTable = [10]float64{
	0.08106146679532726, 0.04134069595540929, 0.02767792568499834,
	0.02079067210376509, 0.01664469118982119, 0.01387612882307075,
	0.01189670994589177, 0.01041126526197209, 0.009255462182712733,
	0.008330563433362871,
}

// stirlingTail is the correction term f_c(k) of BTRD.
func stirlingTail(k float64) float64 {
	if k <= 9 {
		return stirlingTailTable[int(k)]
	}
	k1 := k + 1
	k1sq := k1 * k1
	return (1.0/12 - (1.0/360-1.0/1260/k1sq)/k1sq) / k1
}
