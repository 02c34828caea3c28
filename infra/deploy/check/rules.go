package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

// workload is a Deployment or StatefulSet, reduced to what the rules look at.
type workload struct {
	name     string
	replicas int32
	selector *metav1.LabelSelector
	pod      corev1.PodTemplateSpec
}

type rendered struct {
	workloads []workload
	services  []*corev1.Service
	pdbs      []*policyv1.PodDisruptionBudget
	secrets   map[string]*corev1.Secret
	ingresses []*networkingv1.Ingress
	configs   map[string]*corev1.ConfigMap
}

func collect(objs []runtime.Object) rendered {
	r := rendered{secrets: map[string]*corev1.Secret{}, configs: map[string]*corev1.ConfigMap{}}
	for _, o := range objs {
		switch v := o.(type) {
		case *appsv1.Deployment:
			r.workloads = append(r.workloads, workload{v.Name, deref(v.Spec.Replicas), v.Spec.Selector, v.Spec.Template})
		case *appsv1.StatefulSet:
			r.workloads = append(r.workloads, workload{v.Name, deref(v.Spec.Replicas), v.Spec.Selector, v.Spec.Template})
		case *corev1.Service:
			r.services = append(r.services, v)
		case *policyv1.PodDisruptionBudget:
			r.pdbs = append(r.pdbs, v)
		case *corev1.Secret:
			r.secrets[v.Name] = v
		case *networkingv1.Ingress:
			r.ingresses = append(r.ingresses, v)
		case *corev1.ConfigMap:
			r.configs[v.Name] = v
		}
	}
	return r
}

func deref(p *int32) int32 {
	if p == nil {
		return 1
	}
	return *p
}

// A sensitive variable holds nothing literal but references to other variables.
var sensitiveName = regexp.MustCompile(`SECRET|PASSWORD|_KEY|KEYS|DATABASE_URL|SMTP_URL`)
var varRef = regexp.MustCompile(`\$\([A-Z0-9_]+\)`)

// rules holds the rendered objects to what the deployment needs beyond valid types. Each
// returns its problems; an empty list passes.
func rules(r rendered, release string) map[string]func() []string {
	return map[string]func() []string{
		"every container has liveness and readiness probes and CPU and memory requests": func() (p []string) {
			for _, w := range r.workloads {
				for _, c := range w.pod.Spec.Containers {
					id := w.name + "/" + c.Name
					if c.LivenessProbe == nil || c.ReadinessProbe == nil {
						p = append(p, id+": probe missing")
					}
					if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() {
						p = append(p, id+": cpu or memory request missing")
					}
					if c.Resources.Limits.Memory().IsZero() {
						p = append(p, id+": memory limit missing")
					}
				}
			}
			return p
		},
		"probes and services name ports their pods declare": func() (p []string) {
			for _, w := range r.workloads {
				for _, c := range w.pod.Spec.Containers {
					names := portNames(c)
					for _, probe := range []*corev1.Probe{c.LivenessProbe, c.ReadinessProbe, c.StartupProbe} {
						if probe == nil {
							continue
						}
						if probe.HTTPGet != nil && probe.HTTPGet.Port.StrVal != "" && !names[probe.HTTPGet.Port.StrVal] {
							p = append(p, w.name+": probe port "+probe.HTTPGet.Port.StrVal)
						}
						if probe.TCPSocket != nil && probe.TCPSocket.Port.StrVal != "" && !names[probe.TCPSocket.Port.StrVal] {
							p = append(p, w.name+": probe port "+probe.TCPSocket.Port.StrVal)
						}
					}
				}
			}
			for _, s := range r.services {
				ws := selected(r.workloads, labels.SelectorFromSet(s.Spec.Selector))
				if len(ws) == 0 {
					p = append(p, "service "+s.Name+" selects no pods")
				}
				for _, port := range s.Spec.Ports {
					for _, w := range ws {
						if port.TargetPort.StrVal != "" && !podPortNames(w.pod, port.Protocol)[port.TargetPort.StrVal] {
							p = append(p, fmt.Sprintf("service %s: %s/%s not on %s", s.Name, port.TargetPort.StrVal, port.Protocol, w.name))
						}
					}
				}
			}
			return p
		},
		"workload selectors match their own pods": func() (p []string) {
			for _, w := range r.workloads {
				sel, err := metav1.LabelSelectorAsSelector(w.selector)
				if err != nil || sel.Empty() || !sel.Matches(labels.Set(w.pod.Labels)) {
					p = append(p, w.name)
				}
			}
			return p
		},
		"every workload with several replicas has a PodDisruptionBudget": func() (p []string) {
			for _, w := range r.workloads {
				if w.replicas < 2 {
					continue
				}
				covered := false
				for _, pdb := range r.pdbs {
					sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
					if err == nil && !sel.Empty() && sel.Matches(labels.Set(w.pod.Labels)) {
						covered = true
					}
				}
				if !covered {
					p = append(p, w.name)
				}
			}
			for _, pdb := range r.pdbs {
				sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
				if err != nil || len(selected(r.workloads, sel)) == 0 {
					p = append(p, "pdb "+pdb.Name+" selects no pods")
				}
			}
			return p
		},
		"keys and passwords come from Secrets, never literal values": func() (p []string) {
			for _, w := range r.workloads {
				for _, c := range w.pod.Spec.Containers {
					for _, e := range c.Env {
						if !sensitiveName.MatchString(e.Name) || e.ValueFrom != nil {
							continue
						}
						if rest := varRef.ReplaceAllString(e.Value, ""); strings.Trim(rest, " :@/") != "" || e.Value == "" {
							p = append(p, fmt.Sprintf("%s/%s: %s is literal", w.name, c.Name, e.Name))
						}
					}
				}
			}
			return p
		},
		"secret references name keys of the chart's Secret": func() (p []string) {
			for _, w := range r.workloads {
				for _, c := range w.pod.Spec.Containers {
					for _, e := range c.Env {
						if e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
							continue
						}
						ref := e.ValueFrom.SecretKeyRef
						s, ok := r.secrets[ref.Name]
						if !ok {
							continue // made by the operator (secrets.create false)
						}
						if _, has := s.StringData[ref.Key]; !has {
							if _, has := s.Data[ref.Key]; !has {
								p = append(p, fmt.Sprintf("%s: %s/%s", w.name, ref.Name, ref.Key))
							}
						}
					}
				}
			}
			return p
		},
		"signal liveness is /api/health and readiness /api/ready": func() (p []string) {
			w, ok := find(r.workloads, release+"-signal")
			if !ok {
				return []string{"no signal workload"}
			}
			c := w.pod.Spec.Containers[0]
			if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet == nil || c.LivenessProbe.HTTPGet.Path != "/api/health" {
				p = append(p, "liveness")
			}
			if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet == nil || c.ReadinessProbe.HTTPGet.Path != "/api/ready" {
				p = append(p, "readiness")
			}
			return p
		},
		"the TURN service serves TLS on 443 and UDP 3478 from the LiveKit pods": func() (p []string) {
			var turn *corev1.Service
			for _, s := range r.services {
				if s.Name == release+"-turn" {
					turn = s
				}
			}
			if turn == nil {
				return []string{"no TURN service"}
			}
			want := map[string]bool{"443/TCP": false, "3478/UDP": false}
			for _, port := range turn.Spec.Ports {
				want[fmt.Sprintf("%d/%s", port.Port, port.Protocol)] = true
			}
			for k, seen := range want {
				if !seen {
					p = append(p, "missing "+k)
				}
			}
			if ws := selected(r.workloads, labels.SelectorFromSet(turn.Spec.Selector)); len(ws) != 1 || ws[0].name != release+"-livekit" {
				p = append(p, "does not select the LiveKit pods")
			}
			return p
		},
		"ingress backends are services and ports of the chart": func() (p []string) {
			for _, ing := range r.ingresses {
				for _, rule := range ing.Spec.Rules {
					for _, path := range rule.HTTP.Paths {
						b := path.Backend.Service
						ok := false
						for _, s := range r.services {
							if s.Name != b.Name {
								continue
							}
							for _, port := range s.Spec.Ports {
								if port.Name == b.Port.Name || (b.Port.Number != 0 && port.Port == b.Port.Number) {
									ok = true
								}
							}
						}
						if !ok {
							p = append(p, rule.Host+" -> "+b.Name)
						}
					}
				}
			}
			return p
		},
		"the LiveKit config names Redis, TURN and only the deployment's own STUN": func() (p []string) {
			cm, ok := r.configs[release+"-livekit"]
			if !ok {
				return []string{"no LiveKit ConfigMap"}
			}
			return checkLivekitConfig(cm.Data["livekit.yaml"], release+"-redis:6379")
		},
	}
}

// checkLivekitConfig reads a rendered LiveKit config (JSON, which is YAML).
func checkLivekitConfig(text, redis string) (p []string) {
	var c struct {
		Keys  map[string]string `json:"keys"`
		Redis struct{ Address, Password string }
		RTC   struct {
			StunServers []string `json:"stun_servers"`
			TurnServers []any    `json:"turn_servers"`
		} `json:"rtc"`
		Turn struct {
			Enabled bool
			Domain  string
			UDPPort int `json:"udp_port"`
			TLSPort int `json:"tls_port"`
		} `json:"turn"`
	}
	if err := json.Unmarshal([]byte(text), &c); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	if strings.Contains(text, "{{") {
		p = append(p, "template left unrendered")
	}
	if c.Redis.Address != redis {
		p = append(p, "redis "+c.Redis.Address)
	}
	if !c.Turn.Enabled || c.Turn.UDPPort != 3478 || c.Turn.TLSPort == 0 || c.Turn.Domain == "" {
		p = append(p, "turn")
	}
	if len(c.RTC.StunServers) == 0 {
		p = append(p, "empty stun_servers")
	}
	for _, s := range c.RTC.StunServers {
		if s != c.Turn.Domain+":3478" {
			p = append(p, "stun "+s)
		}
	}
	if len(c.RTC.TurnServers) > 0 || len(c.Keys) > 0 || c.Redis.Password != "" {
		p = append(p, "outside TURN, keys or password in the config")
	}
	return p
}

func portNames(c corev1.Container) map[string]bool {
	m := map[string]bool{}
	for _, port := range c.Ports {
		m[port.Name] = true
	}
	return m
}

func podPortNames(pod corev1.PodTemplateSpec, proto corev1.Protocol) map[string]bool {
	if proto == "" {
		proto = corev1.ProtocolTCP
	}
	m := map[string]bool{}
	for _, c := range pod.Spec.Containers {
		for _, port := range c.Ports {
			if port.Protocol == proto || (port.Protocol == "" && proto == corev1.ProtocolTCP) {
				m[port.Name] = true
			}
		}
	}
	return m
}

func selected(ws []workload, sel labels.Selector) (out []workload) {
	if sel.Empty() {
		return nil
	}
	for _, w := range ws {
		if sel.Matches(labels.Set(w.pod.Labels)) {
			out = append(out, w)
		}
	}
	return out
}

func find(ws []workload, name string) (workload, bool) {
	for _, w := range ws {
		if w.name == name {
			return w, true
		}
	}
	return workload{}, false
}
