package ui

import (
	"bytes"
	"html"
	"strconv"

	"ducha"
)

// rowsHTML writes the ledger page's rows, each cell by its column. It is
// what a template would write, done in Go: with the columns a reader
// chooses, a template picks each cell's column through a chain of
// comparisons and labels it through the catalogue, some 2,500 reflective
// calls for a page of 50 — a third of the CPU of the mix under writes,
// which renders the rows again after each write (BENCHMARKS.md).
func (p *problemsPage) rowsHTML() []byte {
	if len(p.Items) == 0 {
		return []byte(`<tr><td colspan="` + strconv.Itoa(p.Span()) + `" class="empty">` +
			html.EscapeString(p.T("problems.empty")) + "</td></tr>\n")
	}
	labels := make([]string, len(p.Columns))
	for i, c := range p.Columns {
		labels[i] = html.EscapeString(p.T(c.Label))
	}
	esc := html.EscapeString
	none := `<span class="none">—</span>`
	var b bytes.Buffer
	for _, pr := range p.Items {
		id := strconv.FormatInt(pr.ID, 10)
		b.WriteString("<tr>\n")
		for i, c := range p.Columns {
			b.WriteString(`<td data-label="` + labels[i] + `"`)
			if c.Key == "description" || c.Key == "progress" {
				b.WriteString(` class="desc"`)
			}
			b.WriteString(">")
			switch c.Key {
			case "code":
				if p.CanBulk {
					b.WriteString(`<input type="checkbox" name="id" value="` + id + `" form="bulk" aria-label="` +
						esc(p.T("ledger.select_one", pr.Code)) + `"> `)
				}
				b.WriteString(`<a href="/problems/` + id + `">` + esc(pr.Code) + `</a>`)
			case "description":
				b.WriteString(`<a href="/problems/` + id + `">` + esc(pr.Description) + `</a>`)
			case "area":
				b.WriteString(esc(pr.Area))
			case "source":
				b.WriteString(esc(pr.Source))
			case "types":
				b.WriteString(esc(p.Join(pr.Types)))
				if pr.TypeDetail != "" {
					b.WriteString("（" + esc(pr.TypeDetail) + "）")
				}
			case "lead_unit":
				switch {
				case pr.LeadUnit != "":
					b.WriteString(esc(pr.LeadUnit))
				case pr.Status == ducha.StatusRegistered:
					b.WriteString(`<span class="none">` + esc(p.T("problems.unassigned")) + `</span>`)
				default:
					b.WriteString(none)
				}
			case "coop_units":
				if len(pr.CoopUnits) > 0 {
					b.WriteString(esc(p.Join(pr.CoopUnits)))
				} else {
					b.WriteString(none)
				}
			case "person":
				b.WriteString(esc(pr.Person))
			case "mode":
				b.WriteString(esc(string(pr.Mode)))
			case "deadline":
				switch {
				case pr.Deadline != "":
					b.WriteString(esc(p.Date(pr.Deadline)))
				case pr.DeadlineText != "":
					b.WriteString(esc(pr.DeadlineText))
				default:
					b.WriteString(none)
				}
			case "progress":
				if pr.ProgressPercent != nil {
					b.WriteString(strconv.Itoa(*pr.ProgressPercent) + "% ")
				}
				b.WriteString(esc(pr.Progress))
			case "status":
				b.WriteString(`<span class="badge st-` + esc(string(pr.Status)) + `">` + esc(p.StatusLabel(pr.Status)) + `</span>`)
			case "warning":
				if pr.Warning == ducha.WarningYellow || pr.Warning == ducha.WarningRed {
					b.WriteString(`<span class="badge warn-` + esc(string(pr.Warning)) + `">` + esc(p.WarningLabel(pr.Warning)) + `</span>`)
				} else {
					b.WriteString(`<span class="warn-none">` + esc(p.WarningLabel(ducha.WarningNone)) + `</span>`)
				}
			}
			b.WriteString("</td>\n")
		}
		b.WriteString("</tr>\n")
	}
	return b.Bytes()
}
