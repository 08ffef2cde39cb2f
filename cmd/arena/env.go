package main

import (
	"fmt"
	"strconv"
	"time"
)

// Only cmd/arena reads the environment. The readers below parse the typed
// ARENA_* variables (plain strings are read with e.getenv): each returns
// def when the variable is unset or empty, and an error naming the variable
// when it is set to something malformed, never a silent default.

// envValue reads key with parse; want says what a good value looks like.
func envValue[T any](e env, key string, def T, parse func(string) (T, bool), want string) (T, error) {
	v := e.getenv(key)
	if v == "" {
		return def, nil
	}
	x, ok := parse(v)
	if !ok {
		var zero T
		return zero, fmt.Errorf("%s=%q is not %s", key, v, want)
	}
	return x, nil
}

// envOr reads a string.
func envOr(e env, key, def string) string {
	s, _ := envValue(e, key, def, func(v string) (string, bool) { return v, true }, "")
	return s
}

// envWhole reads a whole number of 0 or more.
func envWhole(e env, key string, def int) (int, error) {
	return envValue(e, key, def, func(v string) (int, bool) {
		n, err := strconv.Atoi(v)
		return n, err == nil && n >= 0
	}, "a whole number of 0 or more")
}

// envPositive reads a whole number of 1 or more.
func envPositive(e env, key string, def int64) (int64, error) {
	return envValue(e, key, def, func(v string) (int64, bool) {
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil && n > 0
	}, "a positive whole number")
}

// envFloat reads a number.
func envFloat(e env, key string, def float64) (float64, error) {
	return envValue(e, key, def, func(v string) (float64, bool) {
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	}, "a number")
}

// envDuration reads a duration such as "1h" or "90s".
func envDuration(e env, key string, def time.Duration) (time.Duration, error) {
	return envValue(e, key, def, func(v string) (time.Duration, bool) {
		d, err := time.ParseDuration(v)
		return d, err == nil && d >= 0
	}, "a duration such as 90s or 1h")
}

// envBool reads true or false (also 1 or 0).
func envBool(e env, key string) (bool, error) {
	return envValue(e, key, false, func(v string) (bool, bool) {
		b, err := strconv.ParseBool(v)
		return b, err == nil
	}, "true or false")
}

// envBoolDefault is envBool with a default for an unset variable.
func envBoolDefault(e env, key string, def bool) (bool, error) {
	return envValue(e, key, def, func(v string) (bool, bool) {
		b, err := strconv.ParseBool(v)
		return b, err == nil
	}, "true or false")
}
