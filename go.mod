module github.com/arena-video/arena

go 1.26.8
