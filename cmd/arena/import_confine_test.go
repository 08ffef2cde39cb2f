package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportClips_PathsStayInTheManifestsFolder: absolute paths, ".."
// paths and symbolic links leading out of the manifest's folder are refused
// row by row, and nothing from outside is stored.
func TestImportClips_PathsStayInTheManifestsFolder(t *testing.T) {
	dataDir := t.TempDir()
	outside := t.TempDir()
	src := t.TempDir()
	secret := filepath.Join(outside, "secret.mp4")
	if err := os.WriteFile(secret, clipVariant(t, 9), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(src, "link.mp4")); err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(src, secret)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(src, "ok.mp4"), clipVariant(t, 1), 0o644)
	os.WriteFile(filepath.Join(src, "manifest.csv"), []byte("model,prompt,category,modality,file,source_image\n"+
		"Alpha,A kite,nature,t2v,"+secret+",\n"+
		"Alpha,A kite,nature,t2v,"+filepath.ToSlash(rel)+",\n"+
		"Alpha,A kite,nature,t2v,link.mp4,\n"+
		"Alpha,A kite,nature,t2v,sub\\..\\..\\x.mp4,\n"+
		"Beta,A kite,nature,t2v,ok.mp4,\n"), 0o644)
	code, out, errOut := runArenaIn(t, "", "import", "clips", "--data-dir", dataDir, filepath.Join(src, "manifest.csv"))
	if code == 0 {
		t.Fatalf("exit 0: %s %s", out, errOut)
	}
	for _, want := range []string{"imported 1", "failed 4", "line 2", "line 3", "line 4", "line 5"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	clips, _ := openTestStore(t, dataDir).ListClips(t.Context(), 0)
	if len(clips) != 1 {
		t.Errorf("%d clips stored, want only ok.mp4", len(clips))
	}
}
