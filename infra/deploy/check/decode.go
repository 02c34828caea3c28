package main

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/client-go/kubernetes/scheme"
)

// strict decodes YAML into the Kubernetes API types registered for its apiVersion and kind, as
// the API server's strict field validation does: an unknown or duplicated field, a wrong type
// or a field name in the wrong case fails, and so does a kind that is not a built-in one.
var strict = kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme.Scheme, scheme.Scheme,
	kjson.SerializerOptions{Yaml: true, Strict: true})

func decodeStrict(text string) (runtime.Object, *schema.GroupVersionKind, error) {
	obj, gvk, err := strict.Decode([]byte(text), nil, nil)
	if err != nil {
		return nil, gvk, err
	}
	if gvk == nil || gvk.Kind == "" || gvk.Version == "" {
		return nil, gvk, fmt.Errorf("no apiVersion or kind")
	}
	return obj, gvk, nil
}
