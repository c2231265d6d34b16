package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/render"
	"github.com/ukkv/ukkv/tools/sources"
	"github.com/ukkv/ukkv/tools/variant"
)

// execute runs the ukkv command line in-process.
func execute(args ...string) (string, error) {
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

func TestBadInputIsRefusedWithTheValidChoices(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"build", "nosuch"}, []string{`unknown row "nosuch"`, "raw-uknetdev", "lwip-socket", "batched"}},
		{[]string{"render", "nosuch"}, []string{`unknown row "nosuch"`, "raw-uknetdev"}},
		{[]string{"build", "linux-single"}, []string{"linux-single is a linux-guest row: not one of raw-uknetdev, batched, lwip-socket"}},
		{[]string{"build", "--backend", "ninja", "batched"}, []string{"unknown backend", "kraft, make"}},
		{[]string{"sources", "import"}, []string{"nothing to import"}},
	} {
		_, err := execute(tc.args...)
		if err == nil {
			t.Errorf("ukkv %s: no error", strings.Join(tc.args, " "))
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("ukkv %s: %q does not say %q", strings.Join(tc.args, " "), err, w)
			}
		}
	}
	// The refused render wrote nothing: the committed files still match.
	for _, v := range variant.OfKind(variant.Unikraft) {
		if err := render.Check("../..", v); err != nil {
			t.Error(err)
		}
	}
}

// `build all` on a cache without the optional elfloader sources builds
// every other Unikraft variant instead of failing.
func TestBuildAllLeavesOutVariantsWhoseOptionalSourcesAreMissing(t *testing.T) {
	cache := &sources.Cache{Dir: t.TempDir(), Sources: sources.Pinned}
	var want []string
	for _, v := range variant.OfKind(variant.Unikraft) {
		if !v.Elfloader() {
			want = append(want, v.Name)
		}
	}
	got := variant.Names(withSources(context.Background(), cache, variant.OfKind(variant.Unikraft)))
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("build all without the elfloader sources builds %v, want %v", got, want)
	}
}
