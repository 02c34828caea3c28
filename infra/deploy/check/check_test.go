package main

import (
	"bytes"
	"strings"
	"testing"
)

// `go test` here runs what `npm test` runs through the binary: the checker refuses every
// known-bad input, and the repository's chart and Compose file pass.

func TestRefusesKnownBadInput(t *testing.T) {
	var out bytes.Buffer
	r := &report{out: &out}
	selfTest(r, "../helm/polyphony")
	if r.failed > 0 || r.passed < 13 {
		t.Fatalf("%d passed, %d failed:\n%s", r.passed, r.failed, out.String())
	}
}

func TestDeploymentFilesPass(t *testing.T) {
	var out bytes.Buffer
	r := &report{out: &out}
	checkChart(r, "../helm/polyphony", "")
	checkChart(r, "../helm/polyphony", "../helm/polyphony/ci/test-values.yaml")
	env, err := readEnvFile("testdata/compose.env")
	if err != nil {
		t.Fatal(err)
	}
	checkCompose(r, "../compose/compose.yaml", env)
	if r.failed > 0 {
		t.Fatalf("%d failed:\n%s", r.failed, out.String())
	}
	if !strings.Contains(out.String(), "PodDisruptionBudget decodes strictly") {
		t.Fatalf("no PodDisruptionBudget was rendered:\n%s", out.String())
	}
}

func TestUnsetComposeSecretFails(t *testing.T) {
	env, err := readEnvFile("testdata/compose.env")
	if err != nil {
		t.Fatal(err)
	}
	delete(env, "LIVEKIT_API_SECRET")
	if _, err := loadCompose("../compose/compose.yaml", env, true); err == nil {
		t.Fatal("a Compose file with LIVEKIT_API_SECRET unset loaded")
	}
}
