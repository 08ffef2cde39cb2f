package rating

import "math"

// cholesky factors the leading k×k block of the symmetric positive definite
// m×m matrix a in place (lower triangle, a = L·Lᵀ), and copies L's
// columns into the rows of the upper triangle, Lᵀ, so cholSolve's backward
// pass reads rows too. It reads only the lower triangle. It reports false
// when the block is not positive definite, which the data rules in Compute
// prevent.
func cholesky(a []float64, m, k int) bool {
	for j := range k {
		rj := a[j*m : j*m+j]
		for i := j; i < k; i++ {
			ri := a[i*m : i*m+j]
			s := a[i*m+j] - dot(ri, rj)
			if i == j {
				if !(s > 0) {
					return false
				}
				a[j*m+j] = math.Sqrt(s)
			} else {
				a[i*m+j] = s / a[j*m+j]
				a[j*m+i] = a[i*m+j]
			}
		}
	}
	return true
}

// dot is unrolled because it is the Cholesky factorisation's inner loop.
func dot(x, y []float64) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// cholSolve solves L·Lᵀ·x = b in place for the leading k entries of b,
// with l as cholesky leaves it: both passes are dot products along rows,
// where a pass down L's columns would wait on one subtraction after
// another and on a cache line per entry.
func cholSolve(l []float64, m, k int, b []float64) {
	for i := range k {
		b[i] = (b[i] - dot(l[i*m:i*m+i], b[:i])) / l[i*m+i]
	}
	for i := k - 1; i >= 0; i-- {
		b[i] = (b[i] - dot(l[i*m+i+1:i*m+k], b[i+1:k])) / l[i*m+i]
	}
}
