package build

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"path/filepath"
)

// digester is a sha256 that also takes named files and values, each
// framed by its name, so that moving content between them changes the sum.
type digester struct{ hash.Hash }

func newHash() *digester { return &digester{sha256.New()} }

func (d *digester) sum() string { return hex.EncodeToString(d.Sum(nil)) }

func (d *digester) value(name, value string) {
	fmt.Fprintf(d, "%s %d\n%s\n", name, len(value), value)
}

// content adds a file's name (relative to the repository) and content.
func (d *digester) content(rel string, data []byte) {
	fmt.Fprintf(d, "file %s %d\n", filepath.ToSlash(rel), len(data))
	d.Write(data)
}
