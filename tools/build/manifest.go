package build

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ukkv/ukkv/tools/render"
	"github.com/ukkv/ukkv/tools/variant"
)

// Root is the folder of the build folders, relative to the repository.
const Root = "build"

// Manifest describes one built image; it is written beside the image once
// the image is complete.
type Manifest struct {
	Variant string `json:"variant"`
	// Profile is the build profile (perf, size) the image was built in.
	Profile string `json:"profile"`
	// Image is the image's path relative to the repository root.
	Image  string `json:"image"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	// Sources maps each Unikraft source to its pinned revision.
	Sources       map[string]string `json:"sources"`
	KConfigDigest string            `json:"kconfig_digest"`
	// InputsDigest covers everything the image is made of: app folder,
	// app sources, source revisions, backend. Equal digests skip a build.
	InputsDigest string `json:"inputs_digest"`
	// Inputs are the repository files the build compiled, from the
	// compiler's dependency files; the next build's digest covers them.
	Inputs []string `json:"inputs,omitempty"`
	// GlueDigest covers the Config.uk and Makefile.uk files of the app:
	// make recompiles an object when its sources change, not when the
	// flags these files give it do, so a change here needs a fresh folder.
	GlueDigest   string  `json:"glue_digest,omitempty"`
	BuildSeconds float64 `json:"build_seconds"`
	Backend      string  `json:"backend"`
	// BackendVersion is the kraft version that built it (kraft backend).
	BackendVersion string `json:"backend_version,omitempty"`
}

// compiled is what the build m describes compiled; nothing when m is nil.
func (m *Manifest) compiled() []string {
	if m == nil {
		return nil
	}
	return m.Inputs
}

// Dir is the build folder of a variant.
func Dir(repoRoot, name string) string { return filepath.Join(repoRoot, Root, name) }

// ManifestPath is where the manifest of a variant's image lives.
func ManifestPath(repoRoot, name string) string {
	return filepath.Join(Dir(repoRoot, name), "manifest.json")
}

// ReadManifest reads the manifest of a variant's last successful build.
func ReadManifest(repoRoot, name string) (*Manifest, error) {
	data, err := os.ReadFile(ManifestPath(repoRoot, name))
	if os.IsNotExist(err) {
		return nil, variant.Missingf("variant %s is not built; run `ukkv build %s`", name, name)
	}
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestPath(repoRoot, name), err)
	}
	return &m, nil
}

// ImagePath returns the absolute path of a variant's built image, checked
// against its manifest, for the commands that boot it.
func ImagePath(repoRoot, name string) (string, error) {
	m, err := ReadManifest(repoRoot, name)
	if err != nil {
		return "", err
	}
	path := filepath.Join(repoRoot, m.Image)
	if err := m.check(path); err != nil {
		return "", variant.Missingf("%v; run `ukkv build %s`", err, name)
	}
	return path, nil
}

// check tells whether the file at path is the image m describes.
func (m *Manifest) check(path string) error {
	size, sum, err := fileDigest(path)
	if err != nil {
		return fmt.Errorf("image of %s: %w", m.Variant, err)
	}
	if size != m.Bytes || sum != m.SHA256 {
		return fmt.Errorf("image %s does not match its manifest", path)
	}
	return nil
}

func (m *Manifest) write(repoRoot string) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return render.WriteFileAtomic(ManifestPath(repoRoot, m.Variant), append(data, '\n'))
}

func fileDigest(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := newHash()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, h.sum(), nil
}
