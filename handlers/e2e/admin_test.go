package e2e

import (
	"context"
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/static"
)

// newClipFile writes a demo MP4 with a trailing free box: a valid clip
// whose bytes, and so whose content address, no stored clip has.
func newClipFile(t *testing.T) string {
	t.Helper()
	data, err := fs.ReadFile(static.Demo(), "clips/016354af0565b62a.mp4")
	if err != nil {
		t.Fatal(err)
	}
	payload := []byte("arena e2e upload " + time.Now().Format(time.RFC3339Nano))
	box := binary.BigEndian.AppendUint32(nil, uint32(8+len(payload)))
	box = append(append(box, "free"...), payload...)
	p := filepath.Join(t.TempDir(), "upload.mp4")
	if err := os.WriteFile(p, append(data, box...), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAdmin_UploadsAClipThroughTheFileInput signs in as an admin, uploads a
// clip with the page's real file input and finds it in the clip list.
func TestAdmin_UploadsAClipThroughTheFileInput(t *testing.T) {
	t.Parallel()
	s := startSite(t, true)
	mustServe(t, s, "/admin/login")
	const user, password = "e2e-admin", "correct horse battery staple"
	if _, err := s.Store.CreateAdmin(context.Background(), models.Actor{Name: "test"}, user, password); err != nil {
		t.Fatal(err)
	}
	clip := newClipFile(t)
	b := newBrowser(t)

	b.open(s.URL + "/admin/login")
	b.do(
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), user),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
		chromedp.Click(chromedp.CSS(`form[action="/admin/login"] button[type="submit"]`)),
	)
	b.waitFor("the dashboard", `location.pathname === "/admin"`, stepTimeout)

	b.open(s.URL + "/admin/clips")
	upload := `form[enctype="multipart/form-data"]`
	// Choose the paper-boat prompt and the first model, by what the admin reads.
	b.eval(`(() => {
		const f = document.querySelector('`+upload+`');
		const p = f.querySelector('select[name="prompt_id"]');
		p.value = [...p.options].find(o => o.textContent.includes("paper boat")).value;
		return true;
	})()`, nil)
	b.do(
		chromedp.SetUploadFiles(chromedp.CSS(upload+` input[type="file"]`), []string{clip}),
		chromedp.Click(chromedp.CSS(upload+` button[type="submit"]`)),
	)
	b.waitFor("the upload result", `document.body.textContent.includes("Upload results")`, stepTimeout)
	result := b.text("main")
	i := strings.Index(result, "stored as clip ")
	if i < 0 {
		t.Fatalf("upload did not store the clip: %q", result)
	}
	id := strings.Fields(result[i+len("stored as clip "):])[0]
	b.shot("admin-upload")

	b.open(s.URL + "/admin/clips")
	if !b.evalBool(`[...document.querySelectorAll("main table tbody tr")].some(r => r.textContent.includes(` + jsString(id) + `))`) {
		t.Errorf("the clip list does not show the uploaded clip %s", id)
	}
	// The page follows the transcode by itself: the row turns ready, with a
	// link to the rendition, without a reload.
	row := `document.querySelector('tr[data-clip=` + jsString(id) + `]')`
	b.waitFor("the clip to become ready on the page", row+` && `+row+`.getAttribute("data-status") === "ready" && `+row+`.querySelector("a[href^='/media/']") !== null`, 60*time.Second)
	if w := b.evalFloat(`document.documentElement.scrollWidth`); w > 1280 {
		t.Errorf("the clips page is %v px wide on a 1280 px screen", w)
	}
	b.checkNames("admin clips")
	b.checkContrast("admin clips")

	// Every admin page fits a phone: wide tables scroll inside their box.
	b.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	for _, p := range []string{"/admin", "/admin/models", "/admin/prompts", "/admin/clips", "/admin/votes", "/admin/audit"} {
		b.open(s.URL + p)
		if w := b.evalFloat(`document.documentElement.scrollWidth`); w > 375 {
			t.Errorf("%s is %v px wide on a 375 px phone", p, w)
		}
	}
}
