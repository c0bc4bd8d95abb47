package http_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"ducha"
)

// seedDuties gives 永清镇 a list of three duties and 林城镇 one of two.
func seedDuties(t *testing.T, e *env) {
	t.Helper()
	coord := ducha.NewContextWithUser(context.Background(), e.users["coordinator"])
	var rows []ducha.DutyRow
	for i, l := range []string{
		"永清镇|1|负责辖区扬尘污染防治|《大气污染防治法》第五条",
		"永清镇|2|负责河道保洁|《水污染防治法》",
		"永清镇|3|负责秸秆禁烧|《甘肃省大气污染防治条例》",
		"林城镇|1|负责畜禽养殖污染巡查|《畜禽规模养殖污染防治条例》",
		"林城镇|2|负责农村生活垃圾转运|《固体废物污染环境防治法》",
	} {
		p := strings.Split(l, "|")
		rows = append(rows, ducha.DutyRow{Row: i + 2, Unit: p[0], Duty: &ducha.Duty{No: p[1], Title: p[2], Basis: p[3]}})
	}
	if _, err := e.db.ImportDuties(coord, rows); err != nil {
		t.Fatalf("seed duties: %v", err)
	}
}

// TestDutyAPIScenarios: every duty and inspection route × role × own/other
// unit. A unit role sees its own unit's list and inspections only, and
// another unit's inspection answers 404 exactly like a missing one; the
// unit (or the coordinator) starts, marks and submits; readers never
// write; the county view is for the roles that read every unit.
func TestDutyAPIScenarios(t *testing.T) {
	e := newEnv(t)
	e.srv.Duties = e.db
	seedDuties(t, e)
	liaison := ducha.NewContextWithUser(context.Background(), e.users["liaison"])
	coord := ducha.NewContextWithUser(context.Background(), e.users["coordinator"])
	own, _, err := e.db.StartInspection(liaison, 0)
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := e.db.StartInspection(coord, e.units["林城镇"].ID)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{
		"{own}": strconv.FormatInt(own.ID, 10), "{other}": strconv.FormatInt(other.ID, 10), "{missing}": "999999",
		"{unit:林城镇}": strconv.FormatInt(e.units["林城镇"].ID, 10),
	}
	for i, it := range own.Items {
		ids["{d"+strconv.Itoa(i+1)+"}"] = strconv.FormatInt(it.Duty.ID, 10)
	}
	ids["{od1}"] = strconv.FormatInt(other.Items[0].Duty.ID, 10)
	expand := func(s string) string {
		for k, v := range ids {
			s = strings.ReplaceAll(s, k, v)
		}
		return s
	}
	var table []scenario
	add := func(roles []string, method, path, body string, status int, want []string, absent ...string) {
		for _, r := range roles {
			table = append(table, scenario{r, method, path, body, status, want, absent})
		}
	}
	unscoped := []string{"admin", "coordinator", "discipline", "leader"}
	scoped := []string{"liaison", "head"}
	readers := []string{"discipline", "leader"}
	notFound := []string{`"code":"not_found"`}
	forbidden := []string{`"code":"forbidden"`}

	for _, c := range [][2]string{{"GET", "/api/v1/duties"}, {"POST", "/api/v1/duties"}, {"GET", "/api/v1/inspections"},
		{"POST", "/api/v1/inspections"}, {"GET", "/api/v1/inspections/{own}"}, {"GET", "/api/v1/inspections/{own}/events"},
		{"POST", "/api/v1/inspections/{own}/items/{d1}"}, {"POST", "/api/v1/inspections/{own}/actions/submit"},
		{"GET", "/api/v1/reports/inspections"}} {
		add([]string{""}, c[0], c[1], `{}`, 401, []string{`"code":"unauthorized"`})
	}

	// Reading the lists: the county all of them, a unit its own.
	add(unscoped, "GET", "/api/v1/duties", "", 200, []string{`"total":5`, "负责辖区扬尘污染防治", "负责畜禽养殖污染巡查"})
	add(scoped, "GET", "/api/v1/duties", "", 200, []string{`"total":3`, "负责辖区扬尘污染防治", `"basis":"《大气污染防治法》第五条"`}, "林城镇")
	add([]string{"liaison_b"}, "GET", "/api/v1/duties", "", 200, []string{`"total":2`, "负责畜禽养殖污染巡查"}, "永清镇")
	add(scoped, "GET", "/api/v1/duties?unit={unit:林城镇}", "", 200, []string{`"total":0`}, "负责畜禽养殖污染巡查")
	add([]string{"coordinator"}, "GET", "/api/v1/duties?unit=林城镇", "", 200, []string{`"total":2`}, "永清镇")
	add([]string{"coordinator"}, "GET", "/api/v1/duties?unit=柳湖镇", "", 400, []string{`"fields":{"unit"`})
	add([]string{"coordinator"}, "GET", "/api/v1/duties?page=x", "", 400, []string{`"fields":{"page"`})

	// Reading inspections: another unit's answers 404 like a missing one.
	add(unscoped, "GET", "/api/v1/inspections", "", 200, []string{`"total":2`, `"unit":"永清镇"`, `"unit":"林城镇"`})
	add(scoped, "GET", "/api/v1/inspections", "", 200, []string{`"total":1`, `"unit":"永清镇"`}, "林城镇")
	add(scoped, "GET", "/api/v1/inspections?unit={unit:林城镇}", "", 200, []string{`"total":0`})
	add([]string{"leader"}, "GET", "/api/v1/inspections?status=open&unit=林城镇", "", 200, []string{`"total":1`, `"unit":"林城镇"`})
	add([]string{"coordinator"}, "GET", "/api/v1/inspections?status=bogus", "", 400, []string{`"fields":{"status"`})
	add(everyRole, "GET", "/api/v1/inspections/{own}", "", 200, []string{`"id":{own}`, `"status":"open"`, `"duties":3`, `"marked":false`, "负责河道保洁"})
	add(scoped, "GET", "/api/v1/inspections/{other}", "", 404, notFound, "林城镇")
	add([]string{"liaison_b"}, "GET", "/api/v1/inspections/{own}", "", 404, notFound, "永清镇")
	add(everyRole, "GET", "/api/v1/inspections/{missing}", "", 404, notFound)
	add(everyRole, "GET", "/api/v1/inspections/x", "", 404, notFound)
	add(scoped, "GET", "/api/v1/inspections/{other}/events", "", 404, notFound)

	// Starting: the unit for itself, the coordinator for any unit, readers never.
	add(readers, "POST", "/api/v1/inspections", `{"unit":"永清镇"}`, 403, forbidden)
	add(scoped, "POST", "/api/v1/inspections", `{}`, 200, []string{`"id":{own}`, `"unit":"永清镇"`})
	add([]string{"liaison"}, "POST", "/api/v1/inspections", `{"unit":"林城镇"}`, 403, forbidden)
	add([]string{"liaison_b"}, "POST", "/api/v1/inspections", ``, 200, []string{`"id":{other}`})
	add([]string{"coordinator"}, "POST", "/api/v1/inspections", `{}`, 400, []string{`"fields":{"unit"`})
	add([]string{"coordinator"}, "POST", "/api/v1/inspections", `{"unit":"柳湖镇"}`, 400, []string{`"fields":{"unit"`})
	add([]string{"coordinator"}, "POST", "/api/v1/inspections", `{"unit":"县生态环境局"}`, 400, []string{`"fields":{"unit"`, "尚无责任清单"})
	add([]string{"coordinator"}, "POST", "/api/v1/inspections", `{"unit":"{unit:林城镇}"}`, 200, []string{`"id":{other}`})
	add([]string{"coordinator"}, "POST", "/api/v1/inspections", `{"unit":1,"x":2}`, 400, []string{`"fields":{"x"`})

	// Marking: bad bodies name the field; another unit's inspection or
	// duty is not found; readers never.
	item := "/api/v1/inspections/{own}/items/{d1}"
	add(readers, "POST", item, `{"complied":true}`, 403, forbidden)
	add([]string{"liaison_b"}, "POST", item, `{"complied":true}`, 404, notFound)
	add(scoped, "POST", "/api/v1/inspections/{other}/items/{od1}", `{"complied":true}`, 404, notFound)
	add([]string{"liaison"}, "POST", "/api/v1/inspections/{own}/items/{od1}", `{"complied":true}`, 404, notFound)
	add([]string{"liaison"}, "POST", "/api/v1/inspections/{own}/items/x", `{"complied":true}`, 404, notFound)
	add([]string{"liaison"}, "POST", item, `{}`, 400, []string{`"fields":{"complied"`})
	add([]string{"liaison"}, "POST", item, `{"complied":"yes"}`, 400, []string{`"fields":{"complied"`})
	add([]string{"liaison"}, "POST", item, `{"complied":false}`, 400, []string{`"fields":{"finding"`})
	add([]string{"liaison"}, "POST", item, `{"complied":false,"finding":"工地未覆盖"}`, 400, []string{`"fields":{"mode"`})
	add([]string{"liaison"}, "POST", item, `{"complied":false,"finding":"工地未覆盖","mode":"马上改"}`, 400, []string{`"fields":{"mode"`})
	add([]string{"liaison"}, "POST", item, `{"complied":false,"finding":"工地未覆盖","mode":"限时整改"}`, 400, []string{`"fields":{"deadline"`})
	add([]string{"liaison"}, "POST", item, `{"complied":false,"finding":"工地未覆盖","mode":"限时整改","deadline":"12/31"}`, 400, []string{`"fields":{"deadline"`})
	add([]string{"liaison"}, "POST", item, `{"complied":false,"finding":"工地未覆盖","mode":"限时整改","deadline":"2026-12-01"}`, 400, []string{`"fields":{"deadline"`})
	add([]string{"liaison"}, "POST", item, `{"complied":true,"bogus":1}`, 400, []string{`"fields":{"bogus"`})
	add([]string{"liaison"}, "POST", item, `{"complied":true,"version":99}`, 409, []string{`"code":"conflict"`})
	add([]string{"liaison"}, "POST", item, `{"complied":false,"finding":"两处工地未覆盖防尘网","mode":"立行立改"}`, 200,
		[]string{`"marked":true`, `"finding":"两处工地未覆盖防尘网"`, `"deadline":"2026-12-10"`, `"version":2`, `"wanting":1`})
	add([]string{"head"}, "POST", "/api/v1/inspections/{own}/items/{d2}", `{"complied":true}`, 200, []string{`"marked":2`})
	// Submit names the duty still unmarked and changes nothing.
	submit := "/api/v1/inspections/{own}/actions/submit"
	add(readers, "POST", submit, `{}`, 403, forbidden)
	add([]string{"liaison_b"}, "POST", submit, `{}`, 404, notFound)
	add([]string{"liaison"}, "POST", submit, `{}`, 400, []string{`"fields":{"items"`, "还有1项职责未自查：第3项“负责秸秆禁烧”"})
	add([]string{"coordinator"}, "POST", "/api/v1/inspections/{own}/items/{d3}", `{"complied":false,"finding":"发现两处焚烧秸秆痕迹","mode":"限时整改","deadline":"2026-12-31"}`, 200, []string{`"wanting":2`})
	add([]string{"liaison"}, "POST", submit, `{"version":1}`, 409, []string{`"code":"conflict"`})
	add([]string{"liaison"}, "POST", submit, `{}`, 200, []string{`"status":"submitted"`, `"submitted_by":"liaison_yq"`,
		`"code":"QS-2026-0006"`, `"code":"QS-2026-0007"`, `"title":"负责辖区扬尘污染防治"`, `"title":"负责秸秆禁烧"`})
	add([]string{"head"}, "POST", submit, `{}`, 409, []string{`"code":"conflict"`})
	add([]string{"liaison"}, "POST", item, `{"complied":true}`, 409, []string{`"code":"conflict"`})
	add(scoped, "GET", "/api/v1/inspections/{own}/events", "", 200, []string{`"action":"start"`, `"action":"mark"`, `"action":"submit"`})
	add(scoped, "GET", "/api/v1/problems?q=焚烧秸秆痕迹", "", 200, []string{`"total":1`, `"source":"自查发现"`, `"status":"registered"`, `"lead_unit":"永清镇"`})
	add([]string{"liaison_b"}, "GET", "/api/v1/problems?q=焚烧秸秆痕迹", "", 200, []string{`"total":0`})

	// The county view.
	add(scoped, "GET", "/api/v1/reports/inspections", "", 403, forbidden)
	add([]string{"liaison_b"}, "GET", "/api/v1/reports/inspections", "", 403, forbidden)
	add(unscoped, "GET", "/api/v1/reports/inspections", "", 200, []string{
		`{"unit_id":1,"unit":"永清镇","inspected":true,"submitted":1,"last_submitted":"2026-12-10","open":false,"duties":3,"wanting":2}`,
		`"unit":"林城镇","inspected":false,"submitted":0,"last_submitted":null,"open":true,"duties":2,"wanting":0`,
		`{"title":"负责秸秆禁烧","count":1,"units":["永清镇"]}`})

	runScenarios(t, e, table, expand, alwaysJSON)

	// A problem's detail names its duty.
	_, body := e.api("GET", "/api/v1/inspections/"+ids["{own}"], "head", "")
	var got ducha.Inspection
	if err := json.Unmarshal([]byte(body), &got); err != nil || len(got.Problems) != 2 {
		t.Fatalf("inspection: %v %s", err, body)
	}
	_, body = e.api("GET", "/api/v1/problems/"+strconv.FormatInt(got.Problems[1].ID, 10), "liaison", "")
	if !strings.Contains(body, `"duty":{"id":`+ids["{d3}"]+`,"no":"3","title":"负责秸秆禁烧"}`) || !strings.Contains(body, `"mode":"限时整改"`) {
		t.Fatalf("problem detail: %s", body)
	}
}

// TestDutyUpload: the coordinator uploads a responsibility list; a bad
// row answers 400 with its row and stores nothing; unit roles and
// readers may not upload.
func TestDutyUpload(t *testing.T) {
	e := newEnv(t)
	e.srv.Duties = e.db
	upload := func(role, csv string) (int, string) {
		body, ct := multipartFile(t, "责任清单.csv", []byte(csv))
		resp, got := e.api("POST", "/api/v1/duties", role, body, "Content-Type", ct)
		return resp.StatusCode, got
	}
	good := "永清镇责任清单\n序号,责任单位,事项,法律法规依据\n1,永清镇,負責轄區揚塵管控,《大气污染防治法》\n2,林城镇,负责河道保洁,\n"
	for _, role := range []string{"liaison", "head", "discipline", "leader", "liaison_b"} {
		if status, body := upload(role, good); status != 403 || !strings.Contains(body, `"code":"forbidden"`) {
			t.Errorf("%s uploads: %d %s", role, status, body)
		}
	}
	status, body := upload("coordinator", "序号,责任单位,职责事项\n1,永清镇,负责扬尘管控\n2,柳湖镇,负责秸秆禁烧\n")
	if status != 400 || !strings.Contains(body, "第3行") || !strings.Contains(body, "柳湖镇") || !strings.Contains(body, `"fields":{"unit"`) {
		t.Fatalf("bad row: %d %s", status, body)
	}
	if _, body := e.api("GET", "/api/v1/duties", "coordinator", ""); !strings.Contains(body, `"total":0`) {
		t.Fatalf("a refused file stored: %s", body)
	}
	if status, body := upload("coordinator", good); status != 200 || !strings.Contains(body, `"created":2`) || !strings.Contains(body, `"units":["永清镇","林城镇"]`) {
		t.Fatalf("upload: %d %s", status, body)
	}
	if status, body := upload("admin", good); status != 200 || !strings.Contains(body, `"unchanged":2`) || !strings.Contains(body, `"created":0`) {
		t.Fatalf("again: %d %s", status, body)
	}
	if _, body := e.api("GET", "/api/v1/duties", "liaison", ""); !strings.Contains(body, `"title":"负责辖区扬尘管控"`) || strings.Contains(body, "河道") {
		t.Fatalf("liaison's list: %s", body)
	}
}
