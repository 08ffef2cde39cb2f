module github.com/arena-video/arena

go 1.26.8

require (
	github.com/abema/go-mp4 v1.4.1
	github.com/at-wat/ebml-go v0.19.4
	golang.org/x/image v0.47.0
)

require github.com/google/uuid v1.1.2 // indirect
