package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// composeServices are the parts issue 19 asks of the Compose deployment.
var composeServices = []string{"caddy", "web", "signal-1", "signal-2", "livekit-1", "livekit-2", "redis", "postgres"}

// loadCompose loads a Compose file with the Compose specification's own loader: its JSON
// schema validation (unknown fields and wrong types fail), interpolation with env (a
// `${NAME:?}` left unset fails), merge keys and the consistency checks.
func loadCompose(file string, env map[string]string, interpolate bool) (*types.Project, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	details := types.ConfigDetails{
		WorkingDir:  filepath.Dir(abs),
		ConfigFiles: []types.ConfigFile{{Filename: abs}},
		Environment: env,
	}
	return loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName("polyphony", true)
		o.SkipValidation = false
		o.SkipInterpolation = !interpolate
		o.SkipResolveEnvironment = !interpolate
		o.SkipConsistencyCheck = !interpolate
	})
}

func readEnvFile(file string) (map[string]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return dotenv.Parse(f)
}

// checkCompose loads the file and checks what the deployment needs of it.
func checkCompose(r *report, file string, env map[string]string) {
	project, err := loadCompose(file, env, true)
	r.check("compose: "+file+" loads and validates against the Compose spec", err)
	if err != nil {
		return
	}
	r.check("compose: services "+strings.Join(composeServices, ", ")+" exist", missingServices(project))
	raw, err := loadCompose(file, env, false)
	if err != nil {
		r.check("compose: loads without interpolation", err)
		return
	}
	var literal []string
	for name, svc := range raw.Services {
		for k, v := range svc.Environment {
			if sensitiveName.MatchString(k) && v != nil && !strings.Contains(*v, "${") {
				literal = append(literal, name+"/"+k)
			}
		}
	}
	r.check("compose: keys and passwords come from .env, never literal values", problems(literal))
	var bad []string
	for _, name := range []string{"signal-1", "signal-2"} {
		svc := project.Services[name]
		if svc.HealthCheck == nil || !strings.Contains(strings.Join(svc.HealthCheck.Test, " "), "/api/ready") {
			bad = append(bad, name)
		}
	}
	r.check("compose: signal nodes are healthy only when ready (/api/ready)", problems(bad))
	bad = nil
	for _, name := range []string{"livekit-1", "livekit-2"} {
		svc := project.Services[name]
		found := false
		for _, v := range svc.Volumes {
			if strings.HasSuffix(v.Source, ".generated.yaml") {
				if _, err := os.Stat(v.Source); err == nil {
					found = true
				}
			}
		}
		if !found {
			bad = append(bad, name)
		}
	}
	r.check("compose: LiveKit nodes mount their generated config", problems(bad))
	caddy, err := os.ReadFile(filepath.Join(filepath.Dir(file), "Caddyfile"))
	if err == nil {
		var missing []string
		for _, upstream := range []string{"127.0.0.1:3000", "127.0.0.1:4001", "127.0.0.1:4002", "127.0.0.1:7880", "127.0.0.1:7890", "127.0.0.1:5349", "127.0.0.1:5350"} {
			if !strings.Contains(string(caddy), upstream) {
				missing = append(missing, upstream)
			}
		}
		err = problems(missing)
	}
	r.check("compose: the Caddyfile routes to every web, signal, LiveKit and TURN port", err)
}

func missingServices(p *types.Project) error {
	var missing []string
	for _, name := range composeServices {
		if _, ok := p.Services[name]; !ok {
			missing = append(missing, name)
		}
	}
	return problems(missing)
}

func problems(p []string) error {
	if len(p) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(p, "; "))
}
