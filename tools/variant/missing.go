package variant

import (
	"errors"
	"fmt"
)

// MissingError says that something a row needs (its program, its built
// image) is not here; its text says how to get it. Commands that take
// every row skip such a row instead of failing.
type MissingError struct{ msg string }

func (e *MissingError) Error() string { return e.msg }

// Missingf makes a *MissingError.
func Missingf(format string, args ...any) error {
	return &MissingError{msg: fmt.Sprintf(format, args...)}
}

// IsMissing says whether err is, or wraps, a *MissingError.
func IsMissing(err error) bool {
	var m *MissingError
	return errors.As(err, &m)
}
