package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"ducha"
)

// The daily digest (每日提醒): once a day, outside the quiet hours, every
// user of a unit with overdue or due-soon work gets a message naming it;
// so does every coordinator, for the county. Each is an outbox message of
// its own (once per user and day: its dedup key), and a unit's channels
// receive the unit's digest once however many of its people have one
// (their topic is the unit's and the day's).

// digestItems is how many items a digest names before "…".
const digestItems = 5

// Digest writes the day's digests as of now, unless now is in the quiet
// hours; it returns how many it wrote (0 when they were written already).
func (db *DB) Digest(ctx context.Context, now time.Time) (int, error) {
	if _, err := ducha.Require(ctx, ducha.PermManage); err != nil {
		return 0, err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	tx.now = now.UTC()
	sets, err := tx.campaignRules(ctx)
	if err != nil {
		return 0, err
	}
	if sets.of(0).rules.Quiet(now.In(ducha.Location)) {
		return 0, nil
	}
	day := tx.today()
	rows, err := tx.query(ctx, `SELECT id, role, COALESCE(unit_id, 0) FROM users WHERE disabled = 0 AND role IN (?, ?, ?) ORDER BY id`,
		string(ducha.RoleUnitLiaison), string(ducha.RoleUnitHead), string(ducha.RoleCoordinator))
	if err != nil {
		return 0, fmt.Errorf("digest: %w", err)
	}
	type person struct{ id, unit int64 }
	var people []person
	for rows.Next() {
		var p person
		var role string
		if err := rows.Scan(&p.id, &role, &p.unit); err != nil {
			rows.Close()
			return 0, fmt.Errorf("digest: %w", err)
		}
		if role == string(ducha.RoleCoordinator) {
			p.unit = 0
		}
		people = append(people, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	bodies := map[int64]string{} // by unit; 0 the county
	written := 0
	for _, p := range people {
		body, ok := bodies[p.unit]
		if !ok {
			if body, err = tx.digestBody(ctx, p.unit, day); err != nil {
				return 0, err
			}
			bodies[p.unit] = body
		}
		if body == "" {
			continue
		}
		topic := digestTopic(p.unit, day)
		if p.unit == 0 {
			topic = "digest:county:" + string(day)
		}
		wrote, err := tx.enqueueOnce(ctx, outboxMsg{event: ducha.OutboxDigest, unitID: p.unit, userID: p.id, topic: topic,
			dedup: "digest:user:" + strconv.FormatInt(p.id, 10) + ":" + string(day),
			title: "督察整改每日提醒（" + string(day) + "）", body: body, link: "/inbox"})
		if err != nil {
			return 0, fmt.Errorf("digest: %w", err)
		}
		if wrote {
			written++
		}
	}
	if err := tx.commit(ctx); err != nil {
		return 0, err
	}
	return written, nil
}

// digestBody is the digest of a unit's (0: the county's) overdue and
// due-soon problems and cases on day; "" when there are none.
func (tx *Tx) digestBody(ctx context.Context, unit int64, day ducha.Date) (string, error) {
	var parts, names []string
	for _, k := range []struct {
		w     ducha.Warning
		label string
	}{{ducha.WarningRed, "已逾期"}, {ducha.WarningYellow, "即将到期"}} {
		in := &ducha.Inbox{Counts: map[string]int{}}
		if err := tx.inboxProblems(ctx, in, k.label, ducha.ProblemFilter{UnitID: unit, Warning: k.w}, false); err != nil {
			return "", err
		}
		if n := in.Counts[k.label]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s问题%d个", k.label, n))
			for _, it := range in.Items {
				if len(names) < digestItems {
					names = append(names, it.Title+"（"+k.label+"，时限"+string(it.Due)+"）")
				}
			}
		}
	}
	soon := day.AddDays(tx.db.YellowDays())
	join, args := "", []any{}
	if unit != 0 {
		join, args = ` JOIN case_units cu ON cu.case_id = c.id AND cu.unit_id = ?`, []any{unit}
	}
	var late, due int
	err := tx.queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN c.deadline < ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.deadline >= ? AND c.deadline <= ? THEN 1 ELSE 0 END), 0)
		FROM cases c`+join+` WHERE c.status IN ('assigned', 'investigating')`,
		append([]any{string(day), string(day), string(soon)}, args...)...).Scan(&late, &due)
	if err != nil {
		return "", fmt.Errorf("digest: %w", err)
	}
	if late > 0 {
		parts = append(parts, fmt.Sprintf("已逾期信访件%d件", late))
	}
	if due > 0 {
		parts = append(parts, fmt.Sprintf("即将到期信访件%d件", due))
	}
	if len(parts) == 0 {
		return "", nil
	}
	who := "本单位"
	if unit == 0 {
		who = "全县"
	}
	text := "截至" + string(day) + "，" + who + strings.Join(parts, "、") + "。"
	if len(names) > 0 {
		text += "\n" + strings.Join(names, "\n")
	}
	return text, nil
}
