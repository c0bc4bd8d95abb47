package http_test

import (
	"encoding/json"
	"slices"
	"testing"

	"ducha"
)

// openAPIEnum is one enum of openapi.json: where it stands, the name of
// the property or parameter it describes, and its values but null.
type openAPIEnum struct {
	at, name string
	values   []string
}

// openAPIEnums walks a decoded OpenAPI document and returns every enum in
// it, each named by its property's key or its parameter's name; props
// says v is a properties object, whose keys name what they hold.
func openAPIEnums(v any, at, name string, props bool, out []openAPIEnum) []openAPIEnum {
	switch x := v.(type) {
	case map[string]any:
		if n, ok := x["name"].(string); ok && x["in"] != nil && !props {
			name = n // a parameter: its schema holds the enum
		}
		if list, ok := x["enum"].([]any); ok && !props {
			e := openAPIEnum{at: at, name: name}
			for _, item := range list {
				if s, ok := item.(string); ok {
					e.values = append(e.values, s)
				}
			}
			out = append(out, e)
		}
		for k, child := range x {
			next := name
			if props {
				next = k
			}
			out = openAPIEnums(child, at+"/"+k, next, k == "properties" && !props, out)
		}
	case []any:
		for _, child := range x {
			out = openAPIEnums(child, at+"[]", name, false, out)
		}
	}
	return out
}

// Every enum of openapi.json that describes a verdict, a channel or an
// industry lists ducha.Verdicts, ducha.Channels or ducha.Industries, in
// their order: by its property's or
// parameter's name, or because it holds two of their values (one may be
// another list's too: 其他). So neither
// can drift from the domain again (基本属实 was missing from all three
// verdict enums).
func TestOpenAPIEnumsFollowTheDomain(t *testing.T) {
	e := newEnv(t)
	resp, body := e.api("GET", "/api/v1/openapi.json", "", "")
	if resp.StatusCode != 200 {
		t.Fatalf("openapi: %d", resp.StatusCode)
	}
	var doc any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	enums := openAPIEnums(doc, "", "", false, nil)
	for _, domain := range []struct {
		name   string
		values []string
		least  int // enums there must be of it, so that a walk that finds none fails
	}{
		{"verdict", ducha.Verdicts, 3},
		{"channel", ducha.Channels, 2},
		{"industry", ducha.Industries, 1},
	} {
		n := 0
		for _, en := range enums {
			held := 0
			for _, v := range en.values {
				if slices.Contains(domain.values, v) {
					held++
				}
			}
			if en.name != domain.name && held < 2 {
				continue
			}
			n++
			if !slices.Equal(en.values, domain.values) {
				t.Errorf("%s (%s): enum %q, want %q", en.at, en.name, en.values, domain.values)
			}
		}
		if n < domain.least {
			t.Errorf("%d %s enums found, want at least %d", n, domain.name, domain.least)
		}
	}
}
