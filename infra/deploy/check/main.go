// Command check renders the Polyphony Helm chart and loads the Compose file offline, and fails
// on anything the Kubernetes API types or the Compose specification would refuse (ADR 0023).
// It first proves that it refuses known-bad input. Its last line is `N passed, N failed`.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
)

const release = "polyphony"

func main() {
	chartDir := flag.String("chart", "infra/deploy/helm/polyphony", "chart directory")
	values := flag.String("values", "infra/deploy/helm/polyphony/ci/test-values.yaml", "comma-separated values files, each rendered besides the defaults")
	composeFile := flag.String("compose", "infra/deploy/compose/compose.yaml", "Compose file")
	composeEnv := flag.String("compose-env", "infra/deploy/check/testdata/compose.env", "environment for the Compose file's ${…}")
	print := flag.String("print", "", "print the chart rendered with this values file (\"-\": defaults only), as `helm template` would, and exit")
	flag.Parse()

	if *print != "" {
		printChart(*chartDir, strings.TrimPrefix(*print, "-"))
		return
	}

	r := &report{out: os.Stdout}
	selfTest(r, *chartDir)

	sets := []string{""}
	for _, v := range strings.Split(*values, ",") {
		if v != "" {
			sets = append(sets, v)
		}
	}
	for _, v := range sets {
		checkChart(r, *chartDir, v)
	}

	env, err := readEnvFile(*composeEnv)
	r.check("compose: read "+*composeEnv, err)
	if err == nil {
		checkCompose(r, *composeFile, env)
	}

	fmt.Fprintf(r.out, "\n%d passed, %d failed\n", r.passed, r.failed)
	if r.failed > 0 {
		os.Exit(1)
	}
}

func printChart(dir, valuesFile string) {
	manifests, err := renderChart(dir, valuesFile, release)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, m := range manifests {
		fmt.Printf("---\n# Source: %s\n%s\n", m.source, strings.TrimSpace(m.text))
	}
}

// checkChart renders with one values set and strictly decodes each manifest, then applies
// the rules to them together.
func checkChart(r *report, dir, valuesFile string) {
	label := "chart (default values)"
	if valuesFile != "" {
		label = "chart (" + valuesFile + ")"
	}
	manifests, err := renderChart(dir, valuesFile, release)
	r.check(label+": renders", err)
	if err != nil {
		return
	}
	var objs []runtime.Object
	for _, m := range manifests {
		obj, gvk, err := decodeStrict(m.text)
		name := label + ": " + m.source
		if gvk != nil {
			name += " " + gvk.Kind
		}
		r.check(name+" decodes strictly", err)
		if err == nil {
			objs = append(objs, obj)
		}
	}
	checks := rules(collect(objs), release)
	names := make([]string, 0, len(checks))
	for n := range checks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		r.check(label+": "+n, problems(checks[n]()))
	}
}
