package boot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestBisectFindsTheThreshold(t *testing.T) {
	for _, threshold := range []int{2, 3, 17, 100, 255, 256} {
		tries := 0
		got, err := bisect(2, 256, func(n int) error {
			tries++
			if n < threshold {
				return errors.New("too small")
			}
			return nil
		})
		if err != nil || got != threshold {
			t.Errorf("threshold %d: got %d, %v", threshold, got, err)
		}
		if tries > 10 {
			t.Errorf("threshold %d: %d tries, want a bisection", threshold, tries)
		}
	}
	if _, err := bisect(2, 256, func(int) error { return errors.New("never") }); err == nil || !strings.Contains(err.Error(), "even with 256") {
		t.Errorf("nothing works: %v", err)
	}
	calls := 0
	_, err := bisect(2, 256, func(n int) error {
		calls++
		if calls > 1 {
			return errStop{context.Canceled}
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 2 {
		t.Errorf("a stop must end the search at once: %v after %d calls", err, calls)
	}
}

func TestExternalBackendThatNeverComesIsReported(t *testing.T) {
	needHost(t)
	img, err := FloorImage(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = Start(context.Background(), Options{Image: img, Backend: External{Wait: time.Second}})
	if err == nil || !strings.Contains(err.Error(), "no vhost-user backend created") {
		t.Fatalf("want an error naming the missing backend, got %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %s to give up after a 1s wait", time.Since(start))
	}
}
