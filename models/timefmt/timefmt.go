// Package timefmt appends times in the two layouts the voting cycle writes
// on every request, exactly as time.Format writes them, without the layout
// interpreter time.Format runs on each call: RFC 3339 with nanoseconds for
// JSON and logs, and SQLite's timestamp text as go-sqlite3 binds a
// time.Time.
package timefmt

import "time"

// AppendRFC3339Nano appends t as t.Format(time.RFC3339Nano) writes it: the
// fraction without trailing zeros, none when whole, and Z for a zero
// offset. ok is false, and b unchanged, for a year outside 0-9999, which
// RFC 3339 cannot carry.
func AppendRFC3339Nano(b []byte, t time.Time) (_ []byte, ok bool) {
	return appendTime(b, t, 'T', true)
}

// SQLiteLayout is the layout go-sqlite3 binds a time.Time argument in (its
// SQLiteTimestampFormats[0]).
const SQLiteLayout = "2006-01-02 15:04:05.999999999-07:00"

// AppendSQLite appends t as t.Format(SQLiteLayout) writes it, the text
// SQLite stores for a time.Time argument. ok is false, and b unchanged, for
// a year outside 0-9999.
func AppendSQLite(b []byte, t time.Time) (_ []byte, ok bool) {
	return appendTime(b, t, ' ', false)
}

func appendTime(b []byte, t time.Time, sep byte, zulu bool) ([]byte, bool) {
	// The zone is looked up once: Date, Clock and Zone on a time in a zone
	// other than UTC each look it up again.
	_, off := t.Zone()
	u := t.UTC().Add(time.Duration(off) * time.Second)
	year, month, day := u.Date()
	if year < 0 || year > 9999 {
		return b, false
	}
	hour, min, sec := u.Clock()
	b = append(b,
		byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-',
		byte('0'+int(month)/10), byte('0'+int(month)%10), '-',
		byte('0'+day/10), byte('0'+day%10), sep,
		byte('0'+hour/10), byte('0'+hour%10), ':',
		byte('0'+min/10), byte('0'+min%10), ':',
		byte('0'+sec/10), byte('0'+sec%10))
	if ns := u.Nanosecond(); ns != 0 {
		var d [10]byte
		d[0] = '.'
		for i := 9; i > 0; i-- {
			d[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := len(d)
		for d[n-1] == '0' {
			n--
		}
		b = append(b, d[:n]...)
	}
	if zulu && off == 0 {
		return append(b, 'Z'), true
	}
	// As time.Format: the offset in whole minutes, truncated, so an offset
	// of less than a minute either way is +00:00.
	zone := off / 60
	sign := byte('+')
	if zone < 0 {
		sign, zone = '-', -zone
	}
	return append(b, sign, byte('0'+zone/600), byte('0'+zone/60%10), ':', byte('0'+zone%60/10), byte('0'+zone%10)), true
}
