package sources

import (
	"archive/zip"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fixture is a small git repository with two tagged commits, v1 and v2.
type fixture struct {
	repo   string
	v1, v2 Source
}

func sh(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := git(context.Background(), dir, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	repo := t.TempDir()
	sh(t, repo, "init", "-q")
	write := func(name, text string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(repo, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pin := func(ref string) Source {
		sh(t, repo, "add", "-A")
		sh(t, repo, "commit", "-q", "-m", ref)
		sh(t, repo, "tag", ref)
		return Source{Name: "src", URL: "file://" + repo, Ref: ref,
			Commit: sh(t, repo, "rev-parse", "HEAD"), Tree: sh(t, repo, "rev-parse", "HEAD^{tree}")}
	}
	write("README", "one\n")
	write("lib/.gitignore", "*.o\n")
	write("lib/a.c", "int a;\n")
	v1 := pin("v1")
	write("README", "two\n")
	v2 := pin("v2")
	return fixture{repo: repo, v1: v1, v2: v2}
}

func cacheOf(t *testing.T, srcs ...Source) *Cache {
	return &Cache{Dir: filepath.Join(t.TempDir(), "cache"), Sources: srcs}
}

// assertClean fails when a refused install left anything in the cache.
func assertClean(t *testing.T, c *Cache) {
	t.Helper()
	entries, _ := os.ReadDir(c.Dir)
	for _, e := range entries {
		t.Errorf("refused install left %s in the cache", e.Name())
	}
}

func TestImportGitRepositoryBareOrNot(t *testing.T) {
	f := newFixture(t)
	bare := filepath.Join(t.TempDir(), "bare.git")
	sh(t, ".", "clone", "-q", "--bare", f.repo, bare)
	for name, from := range map[string]string{"work tree": f.repo, "bare": bare} {
		c := cacheOf(t, f.v1)
		if err := c.Import(context.Background(), map[string]string{"src": from}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := c.Verify(context.Background()); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		got, _ := os.ReadFile(filepath.Join(c.Path("src"), "README"))
		if string(got) != "one\n" {
			t.Errorf("%s: checkout holds README %q, want v1's", name, got)
		}
	}
}

func TestImportPlainFolder(t *testing.T) {
	f := newFixture(t)
	folder := t.TempDir()
	// An exported tree, as a release tarball holds it.
	cmd := exec.Command("sh", "-c", "git -C \"$1\" archive v1 | tar -x -C \"$2\"", "sh", f.repo, folder)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	c := cacheOf(t, f.v1)
	if err := c.Import(context.Background(), map[string]string{"src": folder}); err != nil {
		t.Fatal(err)
	}
	if st := c.Status(context.Background()); !st[0].OK {
		t.Errorf("imported folder: %+v", st[0])
	}

	if err := os.WriteFile(filepath.Join(folder, "lib", "a.c"), []byte("int b;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c = cacheOf(t, f.v1)
	err := c.Import(context.Background(), map[string]string{"src": folder})
	if err == nil || !strings.Contains(err.Error(), "wrong revision") || !strings.Contains(err.Error(), f.v1.Commit) {
		t.Errorf("changed folder: got %v, want a wrong revision error naming %s", err, f.v1.Commit)
	}
	assertClean(t, c)
}

func TestImportRefusesWrongRevision(t *testing.T) {
	f := newFixture(t)
	// A copy that has only v2: no v1 tag, no v1 commit.
	other := filepath.Join(t.TempDir(), "other")
	sh(t, ".", "clone", "-q", "--depth", "1", "--no-tags", "file://"+f.repo, other)
	c := cacheOf(t, f.v1)
	err := c.Import(context.Background(), map[string]string{"src": other})
	if err == nil {
		t.Fatal("imported a copy at the wrong revision")
	}
	for _, want := range []string{"wrong revision", "v1", f.v1.Commit, f.v2.Commit} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	assertClean(t, c)
}

func TestImportRefusesBadArguments(t *testing.T) {
	f := newFixture(t)
	c := cacheOf(t, f.v1)
	for name, from := range map[string]map[string]string{
		"nothing":        {},
		"unknown source": {"nosuch": f.repo},
		"missing folder": {"src": filepath.Join(f.repo, "nosuch")},
	} {
		if err := c.Import(context.Background(), from); err == nil {
			t.Errorf("%s: imported", name)
		}
	}
	if _, err := os.Stat(c.Dir); !os.IsNotExist(err) {
		t.Errorf("bad arguments touched the cache")
	}
}

func TestFetchCheckoutAndArchive(t *testing.T) {
	f := newFixture(t)
	src := f.v2
	src.Archive, src.ArchivePrefix = "src.zip", "src-v2/"
	c := cacheOf(t, src)
	if err := c.Fetch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
	z, err := zip.OpenReader(c.ArchivePath(src))
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var names []string
	for _, zf := range z.File {
		names = append(names, zf.Name)
	}
	if !strings.Contains(strings.Join(names, " "), "src-v2/lib/a.c") {
		t.Errorf("archive holds %v, want every file under src-v2/", names)
	}
	// A second fetch finds everything present and keeps it.
	if err := c.Fetch(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestStatusAndVerifyNameWhatIsMissingOrWrong(t *testing.T) {
	f := newFixture(t)
	c := cacheOf(t, f.v1)
	err := c.Verify(context.Background())
	if err == nil || !strings.Contains(err.Error(), "ukkv sources fetch") || !strings.Contains(err.Error(), "ukkv sources import") {
		t.Errorf("empty cache: %v, want a hint at fetch and import", err)
	}
	if st := c.Status(context.Background()); st[0].OK || st[0].Status != "missing" {
		t.Errorf("empty cache: %+v", st[0])
	}
	if err := c.Import(context.Background(), map[string]string{"src": f.repo}); err != nil {
		t.Fatal(err)
	}
	// The cache entry moved on to another revision behind ukkv's back.
	sh(t, c.Path("src"), "fetch", "-q", f.repo, "v2")
	sh(t, c.Path("src"), "checkout", "-q", "FETCH_HEAD")
	st := c.Status(context.Background())
	if st[0].OK || !strings.Contains(st[0].Status, "wrong revision") || !strings.Contains(st[0].Status, f.v1.Tree) {
		t.Errorf("moved checkout: %+v", st[0])
	}
	if err := c.Verify(context.Background()); err == nil {
		t.Error("Verify accepted a checkout at the wrong revision")
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv("UKKV_CACHE", "/x/ukkv-cache")
	t.Setenv("XDG_CACHE_HOME", "/x/xdg")
	if dir, _ := DefaultDir(); dir != "/x/ukkv-cache" {
		t.Errorf("with UKKV_CACHE: %s", dir)
	}
	t.Setenv("UKKV_CACHE", "")
	if dir, _ := DefaultDir(); dir != "/x/xdg/ukkv" {
		t.Errorf("with XDG_CACHE_HOME: %s", dir)
	}
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "/x/home")
	if dir, _ := DefaultDir(); dir != "/x/home/.cache/ukkv" {
		t.Errorf("with HOME only: %s", dir)
	}
}

func TestPinsAreComplete(t *testing.T) {
	names := map[string]bool{}
	for _, s := range Pinned {
		names[s.Name] = true
		if len(s.Commit) != 40 || len(s.Tree) != 40 || s.Ref == "" || !strings.HasPrefix(s.URL, "https://github.com/unikraft/") {
			t.Errorf("incomplete pin %+v", s)
		}
	}
	for _, want := range []string{"unikraft", "lib-lwip", "lwip", "app-elfloader", "lib-libelf"} {
		if !names[want] {
			t.Errorf("no pin for %s", want)
		}
	}
}

// An optional source may be missing from a usable cache; a build that
// names it needs it, and the error names the import flag.
func TestOptionalSourceIsNeededOnlyWhereNamed(t *testing.T) {
	f := newFixture(t)
	extra := f.v2
	extra.Name, extra.Optional = "extra", true
	c := cacheOf(t, f.v1, extra)
	if err := c.Import(context.Background(), map[string]string{"src": f.repo}); err != nil {
		t.Fatal(err)
	}
	if err := c.Verify(context.Background()); err != nil {
		t.Errorf("cache without its optional source: %v", err)
	}
	if st := c.Status(context.Background()); st[1].OK || !strings.Contains(st[1].Status, "optional") {
		t.Errorf("status of the missing optional source: %+v", st[1])
	}
	only, err := c.Only([]string{"src", "extra"})
	if err != nil {
		t.Fatal(err)
	}
	err = only.Verify(context.Background())
	if err == nil || !strings.Contains(err.Error(), "ukkv sources import --extra PATH") {
		t.Errorf("a build needing the optional source: %v, want the import flag named", err)
	}
	if _, err := c.Only([]string{"nope"}); err == nil {
		t.Error("Only accepted an unknown source")
	}
	if err := c.Import(context.Background(), map[string]string{"extra": f.repo}); err != nil {
		t.Fatal(err)
	}
	if err := only.Verify(context.Background()); err != nil {
		t.Errorf("after importing it: %v", err)
	}
}

func TestGetFetchesWhatIsMissingAndKeepsWhatIsThere(t *testing.T) {
	f := newFixture(t)
	c := cacheOf(t, f.v2)
	for i := 0; i < 2; i++ {
		if err := c.Get(context.Background()); err != nil {
			t.Fatalf("get %d: %v", i+1, err)
		}
		if err := c.Verify(context.Background()); err != nil {
			t.Fatalf("after get %d: %v", i+1, err)
		}
	}
}

// TestGetOfflineStopsAtOnceNamingTheImport: a host that refuses stands
// for no network.
func TestGetOfflineStopsAtOnceNamingTheImport(t *testing.T) {
	f := newFixture(t)
	src := f.v2
	src.URL = "https://127.0.0.1:1/unikraft.git"
	c := cacheOf(t, src)
	start := time.Now()
	err := c.Get(context.Background())
	if err == nil || !strings.Contains(err.Error(), ImportCommand) || !strings.Contains(err.Error(), "127.0.0.1 is unreachable") {
		t.Fatalf("want a refusal naming the host and %q, got %v", ImportCommand, err)
	}
	if took := time.Since(start); took > probeTimeout {
		t.Errorf("took %s", took)
	}
	if entries, _ := os.ReadDir(c.Dir); len(entries) != 0 {
		t.Errorf("a failed get left %v in the cache", entries)
	}
}
