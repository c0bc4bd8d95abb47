package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"ducha"
)

// The target mix of statuses, in the order of demoStatuses. (A demo
// campaign has no public notice, so no problem stands 公示中.)
var statusWeights = []int{15, 45, 15, 25}

var demoStatuses = []ducha.ProblemStatus{ducha.StatusRegistered, ducha.StatusInProgress, ducha.StatusPendingVerification, ducha.StatusClosed}

// generator makes problems. Problem i is drawn from a random stream seeded
// with the seed and i alone, so a seed always gives the same problems in the
// same order, whatever the batch size or the number of problems; which of
// them are in the workflow sample depends on that number and the sample's
// size too.
type generator struct {
	seed       uint64
	src        *rand.PCG
	r          *rand.Rand
	today      ducha.Date
	campaignID int64
	total      int // problems to make
	sample     int // of them, worked through the workflow
	made       int
	kindTotal  int
	buf        strings.Builder
}

func newGenerator(seed int64, today ducha.Date, campaignID int64, total, sample int) *generator {
	g := &generator{seed: uint64(seed), src: rand.NewPCG(0, 0), today: today, campaignID: campaignID, total: total, sample: sample}
	g.r = rand.New(g.src)
	for _, k := range kinds {
		g.kindTotal += k.weight
	}
	return g
}

// next returns the next problem as the ledger import should store it and,
// for problems in the workflow sample, the actions that bring it to its
// final state (nil otherwise).
func (g *generator) next() (*ducha.Problem, *plan) {
	i := uint64(g.made)
	g.made++
	g.src.Seed(g.seed, mix(i))
	p, k := g.problem()
	// The sample is spread evenly over the run.
	if n := uint64(g.sample); n > 0 && (i+1)*n/uint64(g.total) > i*n/uint64(g.total) {
		g.src.Seed(g.seed, mix(i^planStream))
		return g.planFor(p, k)
	}
	return p, nil
}

// planStream sets the streams of workflow plans apart from the problems'.
const planStream = 1 << 63

// mix is splitmix64's finalizer: neighbouring indexes get unrelated streams.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (g *generator) intn(n int) int { return g.r.IntN(n) }

func (g *generator) pct(p int) bool { return g.r.IntN(100) < p }

func pick[T any](g *generator, list []T) T { return list[g.r.IntN(len(list))] }

// weighted returns an index into weights, drawn with those weights.
func (g *generator) weighted(weights []int) int {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	n := g.r.IntN(sum)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

func (g *generator) kind() *kind {
	n := g.r.IntN(g.kindTotal)
	for i := range kinds {
		if n < kinds[i].weight {
			return &kinds[i]
		}
		n -= kinds[i].weight
	}
	return &kinds[len(kinds)-1]
}

func (g *generator) person() string { return pick(g, surnames) + pick(g, givenNames) }

// slots are the values of one problem's text slots.
type slots struct {
	town, village, ent, river, road string
}

// fill writes pattern with its slots filled.
func (g *generator) fill(pattern string, s *slots) string {
	b := &g.buf
	b.Reset()
	for {
		i := strings.IndexByte(pattern, '{')
		if i < 0 {
			b.WriteString(pattern)
			break
		}
		b.WriteString(pattern[:i])
		j := strings.IndexByte(pattern[i:], '}')
		name := pattern[i+1 : i+j]
		pattern = pattern[i+j+1:]
		switch name {
		case "town":
			b.WriteString(s.town)
		case "village":
			b.WriteString(s.village)
		case "ent":
			b.WriteString(s.ent)
		case "river":
			b.WriteString(s.river)
		case "road":
			b.WriteString(s.road)
		case "n":
			b.WriteString(strconv.Itoa(2 + g.intn(8)))
		case "head":
			b.WriteString(strconv.Itoa(100 + 50*g.intn(60)))
		case "dist":
			b.WriteString(strconv.Itoa(30 + 10*g.intn(48)))
		case "area":
			b.WriteString(strconv.Itoa(500 + 100*g.intn(200)))
		case "pct":
			b.WriteString(strconv.Itoa(30 + 5*g.intn(13)))
		}
	}
	return b.String()
}

// problem makes one problem in its final state.
func (g *generator) problem() (*ducha.Problem, *kind) {
	k := g.kind()
	ti := g.intn(len(townships))
	town := townships[ti].Name
	s := slots{
		town: town,
		// Each township has its own ten villages.
		village: villages[(ti*7+g.intn(10))%len(villages)],
		river:   pick(g, rivers),
		road:    pick(g, roads),
	}
	p := &ducha.Problem{
		CampaignID: g.campaignID,
		Source:     ducha.ProblemSources[g.weighted(sourceWeights)],
		Area:       town,
		Types:      k.types,
		TypeDetail: k.detail,
		Industry:   k.industry[0],
		Status:     demoStatuses[g.weighted(statusWeights)],
		CoopUnits:  []string{},
	}
	if len(k.industry) > 1 && g.pct(30) {
		p.Industry = pick(g, k.industry[1:])
	}
	pattern := ""
	if len(k.suffixes) > 0 && (len(k.plain) == 0 || g.pct(k.entShare)) {
		s.ent = g.enterprise(k, town)
		p.Subject = s.ent
		if g.pct(70) {
			p.SubjectCreditCode = g.creditCode(strings.HasSuffix(s.ent, "合作社"))
		}
		pattern = pick(g, k.withEnt)
	} else {
		pattern = pick(g, k.plain)
	}
	p.Description = pick(g, sourceLeadIns[p.Source]) + g.fill(pattern, &s)
	p.Address = town + s.village
	if g.pct(40) {
		p.Address += strconv.Itoa(1+g.intn(9)) + "组"
	}

	if p.Status == ducha.StatusRegistered {
		// 待交办: not yet handed to a unit, so no unit, person, plan or deadline.
		return p, k
	}
	g.assign(p, k)
	g.schedule(p, k)
	g.report(p, k, &s)
	return p, k
}

// assign sets the lead and cooperating units and the people responsible.
func (g *generator) assign(p *ducha.Problem, k *kind) {
	p.LeadUnit = p.Area
	if !g.pct(k.townLead) {
		p.LeadUnit = pick(g, k.depts)
	}
	n := g.weighted([]int{35, 45, 20})
	p.CoopUnits = p.CoopUnits[:0]
	if p.LeadUnit != p.Area && n > 0 {
		// A department leads; the township where the problem lies helps.
		p.CoopUnits = append(p.CoopUnits, p.Area)
		n--
	}
	for tries := 0; n > 0 && tries < 6; tries++ {
		c := pick(g, k.coops)
		if c == p.LeadUnit || containsString(p.CoopUnits, c) {
			continue
		}
		p.CoopUnits = append(p.CoopUnits, c)
		n--
	}
	p.Leader = leaders[k.leader]
	if g.pct(15) {
		p.Leader = pick(g, leaders)
	}
	if h := unitHeads[p.LeadUnit]; h != "" && g.pct(50) {
		p.Person = h
	} else {
		p.Person = g.person()
	}
	p.Measures = pick(g, k.measures)
	p.Target = pick(g, k.targets)
}

// schedule sets the mode and the deadline. About a sixth of the open
// problems with a deadline are overdue on g.today.
func (g *generator) schedule(p *ducha.Problem, k *kind) {
	long := 10
	if k.longTerm {
		long = 30
	}
	switch {
	case p.Status == ducha.StatusClosed && g.pct(30):
		p.Mode = ducha.ModeImmediate
	case p.Status != ducha.StatusClosed && g.pct(5):
		p.Mode = ducha.ModeImmediate
	case g.pct(long):
		p.Mode = ducha.ModeLongTerm
	default:
		p.Mode = ducha.ModeTimeBound
	}
	if p.Mode == ducha.ModeLongTerm {
		p.DeadlineText = ducha.ModeLongTerm
		return
	}
	overdue := 0
	switch p.Status {
	case ducha.StatusInProgress:
		overdue = 22
	case ducha.StatusPendingVerification:
		overdue = 15
	}
	switch {
	case p.Status == ducha.StatusClosed:
		p.Deadline = g.today.AddDays(-60 + g.intn(361))
	case g.pct(overdue):
		p.Deadline = g.today.AddDays(-1 - g.intn(60))
	default:
		p.Deadline = g.today.AddDays(g.intn(301))
	}
	p.DeadlineText = string(p.Deadline)
	if p.Status == ducha.StatusInProgress && g.pct(5) {
		// An extension was granted before the ledger came in.
		p.OriginalDeadline = p.Deadline.AddDays(-30 - g.intn(60))
	}
}

// report writes the progress and, for finished problems, the closure.
func (g *generator) report(p *ducha.Problem, k *kind, s *slots) {
	asOf := g.today.AddDays(-1 - g.intn(20)).Time()
	p.Progress = "截至" + strconv.Itoa(int(asOf.Month())) + "月" + strconv.Itoa(asOf.Day()) + "日，" + g.fill(pick(g, k.progress), s)
	if p.Status == ducha.StatusPendingVerification || p.Status == ducha.StatusClosed {
		p.ClosureText = pick(g, k.closure)
	}
	if p.Status == ducha.StatusClosed {
		at := g.today.AddDays(-1 - g.intn(100)).Time().Add(time.Duration(1+g.intn(9))*time.Hour + time.Duration(g.intn(60))*time.Minute)
		p.ClosedAt = &at
	}
}

// enterprise makes a company name: 清水县宏达建材有限公司, 白驼瑞丰养殖专业合作社 …
func (g *generator) enterprise(k *kind, town string) string {
	prefix := ""
	switch g.intn(10) {
	case 0, 1, 2, 3:
		prefix = "清水县"
	case 4, 5, 6:
		prefix = strings.TrimRight(town, "镇乡")
	}
	return prefix + pick(g, tradeNames) + pick(g, k.suffixes)
}

// creditCodeChars are the characters of a unified social credit code.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCode makes a well-formed 统一社会信用代码 of an enterprise in the
// county (GB 32100-2015, check character included): 91 for a company, 93
// for a farmers' cooperative.
func (g *generator) creditCode(coop bool) string {
	code := make([]byte, 0, 18)
	if coop {
		code = append(code, "93620521"...)
	} else {
		code = append(code, "91620521"...)
	}
	for len(code) < 17 {
		code = append(code, creditCodeChars[g.intn(len(creditCodeChars))])
	}
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i, c := range code {
		sum += strings.IndexByte(creditCodeChars, c) * weights[i]
	}
	return string(append(code, creditCodeChars[(31-sum%31)%31]))
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// unitHeads maps each county unit to its head (主要负责人).
var unitHeads = func() map[string]string {
	m := make(map[string]string, len(countyUnits))
	for _, u := range countyUnits {
		m[u.Name] = u.Head
	}
	return m
}()
