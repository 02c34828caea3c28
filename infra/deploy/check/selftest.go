package main

import (
	"embed"
	"os"
	"path/filepath"

	"k8s.io/apimachinery/pkg/runtime"
)

//go:embed testdata/bad
var bad embed.FS

// selfTest feeds the checker known-bad input: each must be refused, or the checker is not
// checking. It runs on every invocation, before the real files.
func selfTest(r *report, chartDir string) {
	for _, f := range []string{"unknown-field", "wrong-type", "unknown-kind", "wrong-case", "duplicate-field"} {
		_, _, err := decodeStrict(badFile(f + ".yaml"))
		r.refuses("self-test: manifest with "+f, err)
	}

	var objs []runtime.Object
	for _, doc := range docSeparator.Split(badFile("no-probes.yaml"), -1) {
		if isBlank(doc) {
			continue
		}
		obj, _, err := decodeStrict(doc)
		if err != nil {
			r.check("self-test: no-probes.yaml decodes", err)
			return
		}
		objs = append(objs, obj)
	}
	checks := rules(collect(objs), release)
	for _, name := range []string{
		"every container has liveness and readiness probes and CPU and memory requests",
		"every workload with several replicas has a PodDisruptionBudget",
		"probes and services name ports their pods declare",
		"keys and passwords come from Secrets, never literal values",
	} {
		r.refuses("self-test: rule "+name, problems(checks[name]()))
	}

	dir, err := os.MkdirTemp("", "polyphony-check-")
	if err != nil {
		r.check("self-test: temp dir", err)
		return
	}
	defer os.RemoveAll(dir)
	for _, f := range []string{"compose-unknown-field", "compose-wrong-type"} {
		path := writeTemp(dir, f+".yaml")
		_, err := loadCompose(path, map[string]string{}, true)
		r.refuses("self-test: "+f, err)
	}
	project, err := loadCompose(writeTemp(dir, "compose-missing-service.yaml"), map[string]string{}, true)
	if err == nil {
		err = missingServices(project)
	} else {
		r.check("self-test: compose-missing-service loads", err)
	}
	r.refuses("self-test: compose file without signal-2", err)

	values := writeTemp(dir, "values-unknown-key.yaml")
	_, err = renderChart(chartDir, values, release)
	r.refuses("self-test: chart values with an unknown key", err)
}

func badFile(name string) string {
	b, err := bad.ReadFile("testdata/bad/" + name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func writeTemp(dir, name string) string {
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(badFile(name)), 0o600); err != nil {
		panic(err)
	}
	return path
}
