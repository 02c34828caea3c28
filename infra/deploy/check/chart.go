package main

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
)

// kubeVersion is the cluster version the chart is rendered for (its Chart.yaml kubeVersion
// must admit it).
const kubeVersion = "v1.33.0"

// manifest is one YAML document of a rendered chart.
type manifest struct {
	source string // template file it came from, with its index when it holds several
	text   string
}

var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// renderChart renders the chart in dir with its default values merged with valuesFile (none
// when empty), as `helm template` would: Helm's own loader, values coalescing (with the chart's
// values.schema.json) and template engine, strict about missing values.
func renderChart(dir, valuesFile, release string) ([]manifest, error) {
	ch, err := loader.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("load chart: %w", err)
	}
	vals := map[string]interface{}{}
	if valuesFile != "" {
		vals, err = chartutil.ReadValuesFile(valuesFile)
		if err != nil {
			return nil, fmt.Errorf("read values: %w", err)
		}
	}
	return renderLoaded(ch, vals, release)
}

func renderLoaded(ch *chart.Chart, vals map[string]interface{}, release string) ([]manifest, error) {
	caps := chartutil.DefaultCapabilities.Copy()
	kv, err := chartutil.ParseKubeVersion(kubeVersion)
	if err != nil {
		return nil, err
	}
	caps.KubeVersion = *kv
	if ch.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(ch.Metadata.KubeVersion, kubeVersion) {
		return nil, fmt.Errorf("chart kubeVersion %q excludes %s", ch.Metadata.KubeVersion, kubeVersion)
	}
	if err := chartutil.ProcessDependenciesWithMerge(ch, vals); err != nil {
		return nil, fmt.Errorf("dependencies: %w", err)
	}
	opts := chartutil.ReleaseOptions{Name: release, Namespace: "polyphony", Revision: 1, IsInstall: true}
	renderVals, err := chartutil.ToRenderValues(ch, vals, opts, caps)
	if err != nil {
		return nil, fmt.Errorf("values: %w", err)
	}
	files, err := engine.Engine{Strict: true}.Render(ch, renderVals)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []manifest
	for _, name := range names {
		base := path.Base(name)
		if strings.HasPrefix(base, "_") || base == "NOTES.txt" {
			continue
		}
		docs := docSeparator.Split(files[name], -1)
		n := 0
		for _, doc := range docs {
			if isBlank(doc) {
				continue
			}
			n++
			out = append(out, manifest{source: fmt.Sprintf("%s#%d", name, n), text: doc})
		}
	}
	return out, nil
}

// isBlank: only whitespace and YAML comments.
func isBlank(doc string) bool {
	for _, line := range strings.Split(doc, "\n") {
		t := strings.TrimSpace(line)
		if t != "" && !strings.HasPrefix(t, "#") {
			return false
		}
	}
	return true
}
