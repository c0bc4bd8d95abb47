// Package storetest opens real stores for tests: a SQLite file in a
// temporary folder, and a fresh database in a throwaway PostgreSQL cluster
// (package pgtest), so that every store test runs on both engines in the same
// go test run. It also seeds the units, users and campaign most tests need.
package storetest

import (
	"context"
	"testing"
	"time"

	"ducha"
	"ducha/internal/pgtest"
	"ducha/store"
)

// Engines lists the engines Each runs on.
var Engines = []string{"sqlite", "postgres"}

// Open opens a fresh, migrated store of the engine.
func Open(tb testing.TB, engine string, opts store.Options) *store.DB {
	tb.Helper()
	var dsn string
	switch engine {
	case "sqlite":
		dsn = tb.TempDir() + "/ducha.db"
	case "postgres":
		url, err := pgtest.Shared(tb).CreateDB(tb.Name())
		if err != nil {
			tb.Fatalf("create database: %v", err)
		}
		dsn = url
	default:
		tb.Fatalf("unknown engine %q", engine)
	}
	db, err := store.Open(context.Background(), dsn, opts)
	if err != nil {
		tb.Fatalf("open %s store: %v", engine, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Each runs fn once per engine, as a subtest named after it.
func Each(t *testing.T, opts store.Options, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, engine := range Engines {
		t.Run(engine, func(t *testing.T) {
			fn(t, Open(t, engine, opts))
		})
	}
}

// Clock is a settable clock for tests.
type Clock struct{ T time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.T }

// Add moves the clock.
func (c *Clock) Add(d time.Duration) { c.T = c.T.Add(d) }

// Fixture is what Seed made.
type Fixture struct {
	Units    map[string]*ducha.Unit // by name
	Users    map[string]*ducha.User // by username
	Campaign *ducha.Campaign
}

// Password is every seeded user's password.
const Password = "correct horse battery"

// System is a context acting as the system (admin) user.
func System() context.Context {
	return ducha.NewContextWithUser(context.Background(), ducha.SystemUser)
}

// As returns a context acting as u.
func As(u *ducha.User) context.Context {
	return ducha.NewContextWithUser(context.Background(), u)
}

// Seed creates three units (永清镇, 红堡镇, 县生态环境局), a campaign and one user
// per role: admin, coord, leader, discipline, and for the two townships a
// liaison and a head (liaison_yq, head_yq, liaison_hb, head_hb).
func Seed(tb testing.TB, db *store.DB) *Fixture {
	tb.Helper()
	ctx := System()
	f := &Fixture{Units: map[string]*ducha.Unit{}, Users: map[string]*ducha.User{}}
	units := []*ducha.Unit{
		{Name: "永清镇", Kind: ducha.UnitTownship, DivisionCode: "620521100000"},
		{Name: "红堡镇", Kind: ducha.UnitTownship, DivisionCode: "620521101000"},
		{Name: "县生态环境局", Kind: ducha.UnitDepartment, Member: true},
	}
	if _, _, err := db.ImportUnits(ctx, units); err != nil {
		tb.Fatalf("seed units: %v", err)
	}
	for _, u := range units {
		f.Units[u.Name] = u
	}
	f.Campaign = &ducha.Campaign{Name: "第三轮中央生态环境保护督察", Team: "中央第三生态环境保护督察组", Start: "2026-12-01", End: "2026-12-31", CaseDays: 10}
	if err := db.CreateCampaign(ctx, f.Campaign); err != nil {
		tb.Fatalf("seed campaign: %v", err)
	}
	users := []*ducha.User{
		{Username: "admin", Role: ducha.RoleAdmin},
		{Username: "coord", Role: ducha.RoleCoordinator},
		{Username: "leader", Role: ducha.RoleLeader},
		{Username: "discipline", Role: ducha.RoleDiscipline},
		{Username: "liaison_yq", Role: ducha.RoleUnitLiaison, UnitID: f.Units["永清镇"].ID},
		{Username: "head_yq", Role: ducha.RoleUnitHead, UnitID: f.Units["永清镇"].ID},
		{Username: "liaison_hb", Role: ducha.RoleUnitLiaison, UnitID: f.Units["红堡镇"].ID},
		{Username: "head_hb", Role: ducha.RoleUnitHead, UnitID: f.Units["红堡镇"].ID},
		{Username: "liaison_sthj", Role: ducha.RoleUnitLiaison, UnitID: f.Units["县生态环境局"].ID},
	}
	for _, u := range users {
		if err := db.CreateUser(ctx, u, Password); err != nil {
			tb.Fatalf("seed user %s: %v", u.Username, err)
		}
		f.Users[u.Username] = u
	}
	for _, u := range users {
		if u.UnitID != 0 {
			for name, unit := range f.Units {
				if unit.ID == u.UnitID {
					u.UnitName = name
				}
			}
		}
	}
	return f
}
