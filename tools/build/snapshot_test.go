package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	log "github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"
)

// compilingBackend stands in for a compiler: it reads one source into the
// image and names it in a dependency file, as a real build does; with
// edit set, the source is edited after it was read, while the build runs.
type compilingBackend struct {
	source string // absolute
	edit   bool
	runs   int
}

func (*compilingBackend) Name() string    { return "compiler" }
func (*compilingBackend) Version() string { return "" }
func (b *compilingBackend) Build(_ context.Context, j *Job) error {
	b.runs++
	text, err := os.ReadFile(b.source)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(j.Dir, ".kv.o.d"), []byte("kv.o: "+b.source+"\n"), 0o644); err != nil {
		return err
	}
	if b.edit {
		b.edit = false
		if err := os.WriteFile(b.source, append(text, "/* edited during the build */\n"...), 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(j.Image(), text, 0o644)
}

// buildTwice builds raw-uknetdev with b twice and returns the second
// result, with the warnings logged meanwhile.
func buildTwice(t *testing.T, root string, b *compilingBackend) (Result, []string) {
	t.Helper()
	hook := new(logtest.Hook)
	hooks := log.StandardLogger().ReplaceHooks(log.LevelHooks{})
	log.AddHook(hook)
	t.Cleanup(func() { log.StandardLogger().ReplaceHooks(hooks) })
	var progress bytes.Buffer
	opts := Options{RepoRoot: root, Cache: emptyCache(t), Backend: b, Progress: &progress}
	var results []Result
	for range 2 {
		var err error
		if results, err = Run(context.Background(), opts, lookup(t, "raw-uknetdev")); err != nil {
			t.Fatalf("%v\n%s", err, progress.String())
		}
	}
	var warnings []string
	for _, e := range hook.AllEntries() {
		if e.Level == log.WarnLevel {
			warnings = append(warnings, e.Message)
		}
	}
	return results[0], warnings
}

// A source edited while a build runs is not vouched for by its manifest:
// the next build runs again, and the first one warns that it will.
func TestSourceEditedDuringABuildIsBuiltAgain(t *testing.T) {
	root := newRoot(t)
	b := &compilingBackend{source: filepath.Join(root, "apps/kvstore/core/kv.c"), edit: true}
	r, warnings := buildTwice(t, root, b)
	if !r.Built || b.runs != 2 {
		t.Errorf("after an edit during the build: built %v, backend ran %d times; want the second build to run it again", r.Built, b.runs)
	}
	image, _ := os.ReadFile(filepath.Join(root, r.Manifest.Image))
	if source, _ := os.ReadFile(b.source); !bytes.Equal(image, source) {
		t.Error("the second build's image does not hold the edited source")
	}
	if !strings.Contains(strings.Join(warnings, "\n"), "apps/kvstore/core/kv.c changed while it was built") {
		t.Errorf("no warning names the edited source; warnings: %q", warnings)
	}
}

// A tree left alone is up to date after a build, without a warning.
func TestUnchangedTreeIsUpToDateAfterABuild(t *testing.T) {
	root := newRoot(t)
	b := &compilingBackend{source: filepath.Join(root, "apps/kvstore/core/kv.c")}
	r, warnings := buildTwice(t, root, b)
	if r.Built || b.runs != 1 {
		t.Errorf("unchanged tree: built %v, backend ran %d times; want it up to date", r.Built, b.runs)
	}
	if r.Manifest == nil || len(r.Manifest.Inputs) != 1 {
		t.Errorf("manifest %+v, want the compiled source among its inputs", r.Manifest)
	}
	for _, w := range warnings {
		if strings.Contains(w, "changed while") {
			t.Errorf("warned of a change in an unchanged tree: %s", w)
		}
	}
}
