package models

import "time"

// Modalities a prompt can have.
const (
	ModalityT2V = "t2v" // text to video
	ModalityI2V = "i2v" // image (plus text) to video
)

// Pools: a matchup pairs two clips of one prompt within one pool, and each
// pool has its own leaderboard, so silent clips never meet sound-on clips.
const (
	PoolT2V      = "t2v"
	PoolI2V      = "i2v"
	PoolT2VAudio = "t2v-audio"
	PoolI2VAudio = "i2v-audio"
)

// Pools lists every pool in display order.
var Pools = []string{PoolT2V, PoolI2V, PoolT2VAudio, PoolI2VAudio}

// PoolOf returns the pool of a clip made for a prompt of the given modality.
func PoolOf(modality string, hasAudio bool) string {
	if hasAudio {
		return modality + "-audio"
	}
	return modality
}

// ValidPool reports whether p names a pool.
func ValidPool(p string) bool {
	for _, q := range Pools {
		if p == q {
			return true
		}
	}
	return false
}

// Vote choices.
const (
	ChoiceA       = "a"
	ChoiceB       = "b"
	ChoiceTie     = "tie"
	ChoiceBothBad = "both_bad"
)

// ValidChoice reports whether c is one of the four vote choices.
func ValidChoice(c string) bool {
	return c == ChoiceA || c == ChoiceB || c == ChoiceTie || c == ChoiceBothBad
}

// Licenses a model can have.
const (
	LicenseOpen        = "open"
	LicenseProprietary = "proprietary"
)

// Model is a video-generation model.
type Model struct {
	ID           uint   `gorm:"primaryKey"`
	Slug         string `gorm:"size:64;not null;uniqueIndex"`
	Name         string `gorm:"size:128;not null"`
	Organization string `gorm:"size:128;not null;default:''"`
	ReleaseDate  string `gorm:"size:10;not null;default:''"` // YYYY-MM-DD or empty
	License      string `gorm:"size:16;not null;default:''"`
	Homepage     string `gorm:"size:512;not null;default:''"`
	Active       bool   `gorm:"not null;default:true"`
	CreatedAt    time.Time
	// Family and Version place a model among its releases ("HappyHorse",
	// "1.1"); both are optional.
	Family  string `gorm:"size:64;not null;default:''"`
	Version string `gorm:"size:32;not null;default:''"`
	// RetiredAt is when an admin last retired the model; nil while active.
	RetiredAt *time.Time
}

// Prompt is what every clip of a matchup was generated from.
type Prompt struct {
	ID        uint   `gorm:"primaryKey"`
	Text      string `gorm:"size:4000;not null"`
	Category  string `gorm:"size:64;not null;default:'';index"`
	Modality  string `gorm:"size:8;not null"`
	ImageKey  string `gorm:"size:64;not null;default:''"` // blob key of the source image (i2v)
	ImageMIME string `gorm:"size:32;not null;default:''"`
	Active    bool   `gorm:"not null;default:true"`
	CreatedAt time.Time
}

// Clip is one model's video for one prompt.
type Clip struct {
	ID               uint   `gorm:"primaryKey"`
	PublicID         string `gorm:"size:32;not null;uniqueIndex"`
	PromptID         uint   `gorm:"not null;index"`
	ModelID          uint   `gorm:"not null;index"`
	Pool             string `gorm:"size:16;not null"`
	SHA256           string `gorm:"size:64;not null;uniqueIndex"` // of the uploaded bytes
	BlobKey          string `gorm:"size:64;not null"`             // sha256 of the stored bytes
	MIME             string `gorm:"size:32;not null"`
	Size             int64  `gorm:"not null"`
	DurationMS       int64  `gorm:"not null"`
	Width            int    `gorm:"not null"`
	Height           int    `gorm:"not null"`
	HasAudio         bool   `gorm:"not null"`
	MetadataStripped bool   `gorm:"not null"`
	Active           bool   `gorm:"not null;default:true"`
	CreatedAt        time.Time
	// Motion, Brightness and Saturation are the clip's style features as
	// media.Features measures them (0–255 scales); with DurationMS and
	// HasAudio they feed the style-controlled leaderboard. FeaturesMeasured
	// is false until ffmpeg has measured them: votes on such a clip count on
	// the raw board only.
	Motion           float64 `gorm:"type:double precision;not null;default:0"`
	Brightness       float64 `gorm:"type:double precision;not null;default:0"`
	Saturation       float64 `gorm:"type:double precision;not null;default:0"`
	FeaturesMeasured bool    `gorm:"not null;default:false"`
	// Status is ClipProcessing until the canonical rendition is stored
	// (Progress counts to 100 meanwhile), then ClipReady; ClipFailed keeps
	// ffmpeg's reason in Error. Only ready clips enter matchups. BlobKey,
	// MIME, Size, DurationMS, Width, Height and PosterKey describe the
	// rendition, the only bytes voters get.
	Status   string `gorm:"size:16;not null;default:'ready'"`
	Progress int    `gorm:"not null;default:0"`
	Error    string `gorm:"size:500;not null;default:''"`
	// PosterKey is the blob key of a JPEG frame from the middle of the
	// rendition; empty for clips that have none.
	PosterKey string `gorm:"size:64;not null;default:''"`
	// RenditionProfile names the profile the rendition was made with, so an
	// operator can tell which clips a profile change left behind.
	RenditionProfile string `gorm:"size:128;not null;default:''"`
	// FPS is the rendition's frame rate, 0 when unknown (clips stored before
	// renditions existed).
	FPS float64 `gorm:"type:double precision;not null;default:0"`
	// OriginalKey is the blob key of the upload as sent, kept private for
	// admins; Source is its probe.
	OriginalKey  string     `gorm:"size:64;not null;default:''"`
	OriginalMIME string     `gorm:"size:32;not null;default:''"`
	OriginalSize int64      `gorm:"not null;default:0"`
	Source       ClipSource `gorm:"embedded;embeddedPrefix:source_"`
	// Withdrawn takes a clip out of matchups after BrokenReportLimit
	// distinct voters reported it broken, until an admin restores it.
	Withdrawn bool `gorm:"not null;default:false"`
}

// ClipSource is what probing an uploaded original found: for the operator,
// and as measurements for style control. Voters never see it.
type ClipSource struct {
	Codec      string  `gorm:"size:32;not null;default:''"`
	Width      int     `gorm:"not null;default:0"`
	Height     int     `gorm:"not null;default:0"`
	FPS        float64 `gorm:"not null;default:0"`
	Kbps       int     `gorm:"not null;default:0"`
	DurationMS int64   `gorm:"not null;default:0"`
	HasAudio   bool    `gorm:"not null;default:false"`
}

// Clip states.
const (
	ClipProcessing = "processing"
	ClipReady      = "ready"
	ClipFailed     = "failed"
)

// ClipJob is a transcode waiting or running: rows in the database, so a
// restart resumes them and several instances share them. A running job is
// leased to one worker (Owner) until LeaseUntil; the worker renews the lease
// while it works, and a job whose lease ran out is taken by another.
type ClipJob struct {
	ID         uint   `gorm:"primaryKey"`
	ClipID     uint   `gorm:"not null;index"`
	State      string `gorm:"size:16;not null"`
	Attempts   int    `gorm:"not null;default:0"`
	Owner      string `gorm:"size:64;not null;default:''"`
	LeaseUntil *time.Time
	Error      string `gorm:"size:500;not null;default:''"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Voter is whoever holds a session cookie. A flagged voter is listed for
// review and every vote they cast afterwards is stored invalid with
// FlagReason as its reason.
type Voter struct {
	ID         string `gorm:"primaryKey;size:32"`
	CreatedAt  time.Time
	Flagged    bool   `gorm:"not null;default:false"`
	FlagReason string `gorm:"size:64;not null;default:''"`
	// ValidVotes, AVotes and BVotes count the voter's valid votes and how
	// many picked each side; the database keeps them (migration
	// 0300_vote_validity) so spotting position bias costs no query.
	ValidVotes int64 `gorm:"not null;default:0"`
	AVotes     int64 `gorm:"not null;default:0"`
	BVotes     int64 `gorm:"not null;default:0"`
}

// Matchup is a pair of clips issued to one voter, and once voted, the vote.
// The model ids are copied from the clips so that counting votes never needs
// a join.
type Matchup struct {
	ID        string `gorm:"primaryKey;size:32"`
	VoterID   string `gorm:"size:32;not null;index"`
	PromptID  uint   `gorm:"not null"`
	Pool      string `gorm:"size:16;not null"`
	Category  string `gorm:"size:64;not null;default:''"`
	ClipAID   uint   `gorm:"not null"`
	ClipBID   uint   `gorm:"not null"`
	ModelAID  uint   `gorm:"not null"`
	ModelBID  uint   `gorm:"not null"`
	IssuedAt  time.Time
	ExpiresAt time.Time
	// WatchUntil is the earliest time a vote counts: IssuedAt plus the
	// minimum watch time, capped at the shorter clip. A vote before it is
	// stored invalid as too_fast.
	WatchUntil time.Time
	// ClientNet is the client's network when the matchup was issued: its
	// IPv4 address or IPv6 /64. Targeted-voting checks group votes by it.
	ClientNet     string  `gorm:"size:64;not null;default:''"`
	Choice        *string `gorm:"size:8"`
	VotedAt       *time.Time
	Valid         bool   `gorm:"not null;default:false"`
	InvalidReason string `gorm:"size:32;not null;default:''"`
	// SkipReason is set when the voter skipped the matchup instead of
	// voting (see SkipMatchup); SkipSide names the reported clip, empty
	// for both.
	SkipReason string `gorm:"size:16;not null;default:''"`
	SkipSide   string `gorm:"size:1;not null;default:''"`
	SkippedAt  *time.Time
}

// Snapshot is a computed leaderboard.
type Snapshot struct {
	ID         uint   `gorm:"primaryKey"`
	Key        string `gorm:"size:128;not null;index"`
	ComputedAt time.Time
	Votes      int64
	Body       string `gorm:"not null"`
	// VotesThrough is the time of the newest vote the board includes; nil
	// for a board without votes.
	VotesThrough *time.Time
	// Method names the ranking method and its version (rating.MethodVersion)
	// that computed the board, so an old board stays explained after the
	// method changes.
	Method string `gorm:"size:32;not null;default:''"`
	// Rebuilt marks a board of a history rebuilt from vote times (arena
	// recompute --history): one per step already, so the thinning of live
	// boards leaves it alone.
	Rebuilt bool `gorm:"not null;default:false"`
}

// RankEvent is a change on a pool's board that the feed publishes: a model
// entering it, moving up or down in rank, or being retired.
type RankEvent struct {
	ID uint `gorm:"primaryKey"`
	// EventKey is a hash of what the event says (pool, model, kind, ranks,
	// time), unique, so that finding the same change twice stores it once
	// and the feed's entry ids never change.
	EventKey   string `gorm:"size:64;not null;uniqueIndex"`
	Pool       string `gorm:"size:16;not null"`
	ModelID    uint   `gorm:"not null"`
	Kind       string `gorm:"size:16;not null"`
	Rank       int    `gorm:"not null"` // rank after the change; 0 for a retirement
	PrevRank   int    `gorm:"not null"` // rank before; 0 when the model was not on the board
	At         time.Time
	SnapshotID uint `gorm:"not null"` // the board that shows the change; 0 for a retirement
}

// Admin is a person who runs the arena.
type Admin struct {
	ID           uint   `gorm:"primaryKey"`
	Username     string `gorm:"size:64;not null;uniqueIndex"`
	PasswordHash string `gorm:"size:100;not null"`
	CreatedAt    time.Time
	// DisabledAt is when the admin was disabled: they can no longer sign
	// in, and their sessions and tokens stopped working then.
	DisabledAt *time.Time
}

// AuditEntry records one admin action.
type AuditEntry struct {
	ID     uint      `gorm:"primaryKey"`
	At     time.Time `gorm:"index"`
	Actor  string    `gorm:"size:64;not null"`
	Action string    `gorm:"size:64;not null"`
	Target string    `gorm:"size:256;not null;default:''"`
	IP     string    `gorm:"size:64;not null;default:''"`
	Detail string    `gorm:"size:2000;not null;default:''"`
}
