package ui

import (
	"context"

	"ducha"
)

// nameActors writes each history row's actor as a reader knows them: the
// person's name and unit (李四（永清镇）) instead of a login name. Each
// distinct actor is looked up once; one that cannot be found keeps its login
// name, and the rules and the system say so.
func (s *handler) nameActors(ctx context.Context, p *page, rows []historyRow) {
	names := map[string]string{}
	for i := range rows {
		login := rows[i].Actor
		name, ok := names[login]
		if !ok {
			name = s.actorName(ctx, p, login)
			names[login] = name
		}
		rows[i].Login, rows[i].Actor = login, name
	}
}

// actorName is one actor's name and unit.
func (s *handler) actorName(ctx context.Context, p *page, login string) string {
	switch login {
	case "", ducha.SystemUser.Username:
		return p.T("history.system")
	case "rules":
		return p.T("history.rules")
	}
	u, err := s.Users.FindUserByUsername(ctx, login)
	if err != nil || u == nil {
		return login
	}
	name := u.DisplayName
	if name == "" {
		name = u.Username
	}
	if u.UnitName != "" {
		return name + "（" + u.UnitName + "）"
	}
	return name + "（" + p.T("role."+string(u.Role)) + "）"
}
