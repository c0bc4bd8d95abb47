package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ducha"
	"ducha/http/web"
)

// decodeFlat is decodeJSON for the flat bodies of this file. Two of them
// embed a domain update type, and encoding/json names a field of an
// embedded struct after its Go type (UserUpdate.role): the error names
// the field as the body writes it.
func decodeFlat(w http.ResponseWriter, r *http.Request, v any) error {
	err := web.DecodeJSON(w, r, v)
	var e *ducha.Error
	if !errors.As(err, &e) {
		return err
	}
	fields := map[string]string{}
	for k, msg := range e.Fields {
		if i := strings.LastIndexByte(k, '.'); i >= 0 {
			e.Message = strings.ReplaceAll(e.Message, k, k[i+1:])
			msg, k = strings.ReplaceAll(msg, k, k[i+1:]), k[i+1:]
		}
		fields[k] = msg
	}
	e.Fields = fields
	return e
}

// readPage reads page and per_page (1-based; per_page up to MaxPerPage).
func readPage(v url.Values) (page, perPage int, err error) {
	page, perPage = 1, web.DefaultPerPage
	if s := strings.TrimSpace(v.Get("page")); s != "" {
		if page, err = strconv.Atoi(s); err != nil || page < 1 {
			return 0, 0, ducha.FieldError("page", "页码应为正整数")
		}
	}
	if s := strings.TrimSpace(v.Get("per_page")); s != "" {
		if perPage, err = strconv.Atoi(s); err != nil || perPage < 1 {
			return 0, 0, ducha.FieldError("per_page", "每页条数应为正整数")
		}
		perPage = min(perPage, ducha.MaxPerPage)
	}
	return page, perPage, nil
}

func (s *handler) handleUserList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, err := s.UserFilter(ctx, r.URL.Query())
	if err != nil {
		return err
	}
	page, perPage, err := readPage(r.URL.Query())
	if err != nil {
		return err
	}
	f.Offset, f.Limit = (page-1)*perPage, perPage
	users, total, err := s.Users.FindUsers(ctx, f)
	if err != nil {
		return err
	}
	if users == nil {
		users = []*ducha.User{}
	}
	web.WriteJSON(w, http.StatusOK, web.List[*ducha.User]{Items: users, Total: total, Page: page, PerPage: perPage})
	return nil
}

// adminUser is a user as an administrator's write answers it: with the
// one-time password the write made, shown this once.
type adminUser struct {
	*ducha.User
	OneTimePassword string `json:"one_time_password,omitempty"`
}

func (s *handler) handleUserCreate(w http.ResponseWriter, r *http.Request) error {
	var in web.UserInput
	if err := decodeFlat(w, r, &in); err != nil {
		return err
	}
	u, oneTime, err := s.CreateUser(r.Context(), in)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusCreated, u.Version, adminUser{User: u, OneTimePassword: oneTime})
	return nil
}

// userPatch is the body of PATCH /api/v1/users/{id}: the account's
// fields, and reset_password to give the user a new one-time password.
type userPatch struct {
	ducha.UserUpdate
	ResetPassword bool `json:"reset_password"`
}

// updateUser applies an administrator's change and, when asked, resets
// the password; oneTime is the new password. The change and the reset
// are two writes: a refused change resets nothing.
func (s *handler) updateUser(ctx context.Context, id int64, upd ducha.UserUpdate, reset bool) (u *ducha.User, oneTime string, err error) {
	if !reset || !upd.Empty() {
		if u, err = s.Users.UpdateUser(ctx, id, upd); err != nil {
			return nil, "", err
		}
	}
	if !reset {
		return u, "", nil
	}
	if u == nil {
		// A reset alone still says which version it saw.
		if u, err = s.Users.FindUserByID(ctx, id); err != nil {
			return nil, "", err
		}
		if u.Version != upd.Version {
			return nil, "", ducha.Conflict()
		}
	}
	if oneTime, err = s.Users.ResetPassword(ctx, id); err != nil {
		return nil, "", err
	}
	if u, err = s.Users.FindUserByID(ctx, id); err != nil {
		return nil, "", err
	}
	return u, oneTime, nil
}

func (s *handler) handleUserPatch(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "用户")
	if err != nil {
		return err
	}
	var in userPatch
	if err := decodeFlat(w, r, &in); err != nil {
		return err
	}
	if in.Version, err = web.Version(r, in.Version, true); err != nil {
		return err
	}
	u, oneTime, err := s.updateUser(r.Context(), id, in.UserUpdate, in.ResetPassword)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, u.Version, adminUser{User: u, OneTimePassword: oneTime})
	return nil
}

func (s *handler) handleUnitCreate(w http.ResponseWriter, r *http.Request) error {
	var in web.UnitInput
	if err := decodeFlat(w, r, &in); err != nil {
		return err
	}
	u := in.Unit()
	if err := s.Units.CreateUnit(r.Context(), u); err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusCreated, u.Version, u)
	return nil
}

func (s *handler) handleUnitPatch(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "单位")
	if err != nil {
		return err
	}
	var upd ducha.UnitUpdate
	if err := decodeFlat(w, r, &upd); err != nil {
		return err
	}
	if upd.Version, err = web.Version(r, upd.Version, true); err != nil {
		return err
	}
	u, err := s.Units.UpdateUnit(r.Context(), id, upd)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, u.Version, u)
	return nil
}

func (s *handler) handleCampaignList(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.Campaigns.FindCampaigns(r.Context())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.WholeList(cs))
	return nil
}

func (s *handler) handleCampaignGet(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "督察轮次")
	if err != nil {
		return err
	}
	c, err := s.Campaigns.FindCampaignByID(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, c.Version, c)
	return nil
}

// campaignPatch is the body of PATCH /api/v1/campaigns/{id}. Its dates
// are read as text here, shadowing the update's (encoding/json takes the
// shallower field), so that a wrong one is refused naming start or end.
//
// Its rules are a JSON merge patch (RFC 7396) over the campaign's: the
// keys given replace theirs and the others are kept, so that
// {"rules":{"answer_days":3}} does not switch off every rule it leaves
// out (mergeRules).
type campaignPatch struct {
	ducha.CampaignUpdate
	Start *string         `json:"start"`
	End   *string         `json:"end"`
	Rules json.RawMessage `json:"rules"`
}

// mergeRules applies the patch's rules over the campaign's current ones.
func (s *handler) mergeRules(ctx context.Context, id int64, patch json.RawMessage) (*ducha.Rules, error) {
	if string(bytes.TrimSpace(patch)) == "null" {
		return nil, ducha.FieldError("rules", "督办规则不能为空")
	}
	c, err := s.Campaigns.FindCampaignByID(ctx, id)
	if err != nil {
		return nil, err
	}
	r := c.Rules
	r.ClosureLevels = nil // a given list replaces the levels; none keeps them
	dec := json.NewDecoder(bytes.NewReader(patch))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, ducha.FieldError("rules", "督办规则格式错误：%v", err)
	}
	if r.ClosureLevels == nil {
		r.ClosureLevels = append([]string(nil), c.Rules.ClosureLevels...)
	}
	return &r, nil
}

// update is the campaign update with the dates parsed.
func (in *campaignPatch) update() (ducha.CampaignUpdate, error) {
	upd := in.CampaignUpdate
	for _, d := range []struct {
		field string
		src   *string
		dst   **ducha.Date
	}{{"start", in.Start, &upd.Start}, {"end", in.End, &upd.End}} {
		if d.src == nil {
			continue
		}
		v, err := ducha.ParseDateISO(strings.TrimSpace(*d.src))
		if err != nil {
			return upd, ducha.FieldError(d.field, "日期格式应为2026-12-31，收到“%s”", *d.src)
		}
		*d.dst = &v
	}
	return upd, nil
}

func (s *handler) handleCampaignPatch(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "督察轮次")
	if err != nil {
		return err
	}
	var in campaignPatch
	if err := decodeFlat(w, r, &in); err != nil {
		return err
	}
	upd, err := in.update()
	if err != nil {
		return err
	}
	if upd.Version, err = web.Version(r, upd.Version, true); err != nil {
		return err
	}
	if len(in.Rules) > 0 {
		// Read before the update: a campaign changed in between is a
		// stale version there, and answers 409.
		if upd.Rules, err = s.mergeRules(r.Context(), id, in.Rules); err != nil {
			return err
		}
	}
	c, err := s.Campaigns.UpdateCampaign(r.Context(), id, upd)
	if err != nil {
		return err
	}
	web.WriteVersioned(w, http.StatusOK, c.Version, c)
	return nil
}
