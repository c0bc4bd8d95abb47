package ui

import (
	"bytes"
	"net/http"

	"ducha"
	"ducha/http/web"
)

// adminUnitsPage lists the units with a form to edit each, the form that
// adds one and, when the server can, the form that imports a unit file.
type adminUnitsPage struct {
	page
	Units  []*ducha.Unit
	Kinds  []ducha.UnitKind
	In     web.UnitInput
	Error  string
	Errors map[string]string
	// F is the add form's messages.
	F         formErrors
	Done      adminDone
	DoneUnit  *ducha.Unit
	CanImport bool
	// Imported is what an import just did; ImportError why it did
	// nothing (naming the row).
	Imported    *unitsImported
	ImportError string
}

// unitsImported counts what a unit file changed.
type unitsImported struct{ Created, Updated int }

// Err is the message for one field of the add form.
func (p *adminUnitsPage) Err(field string) string {
	if m := p.F.Err(field); m != "" {
		return m
	}
	return p.Errors[field]
}

// KindSelected reports whether the add form names kind k.
func (p *adminUnitsPage) KindSelected(k ducha.UnitKind) bool {
	got, ok := ducha.ParseUnitKind(p.In.Kind)
	return ok && got == k
}

// DoneText is the message of the last post, or "".
func (p *adminUnitsPage) DoneText() string {
	if p.DoneUnit == nil {
		return ""
	}
	return p.T("admin.units.done."+p.Done.Kind, p.DoneUnit.Name)
}

func (s *handler) adminUnitsPage(w http.ResponseWriter, r *http.Request) (*adminUnitsPage, error) {
	units, err := s.Units.FindUnits(r.Context())
	if err != nil {
		return nil, err
	}
	return &adminUnitsPage{page: s.newPage(w, r, "admin.units.title"), Units: units, Kinds: ducha.UnitKinds,
		In: web.UnitInput{Kind: string(ducha.UnitTownship)}, CanImport: s.ImportUnits != nil}, nil
}

func (s *handler) handleAdminUnitsPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.adminUnitsPage(w, r)
	if err != nil {
		return err
	}
	if p.Done = readAdminDone(r, "created", "saved"); p.Done.ID != 0 {
		for _, u := range p.Units {
			if u.ID == p.Done.ID {
				p.DoneUnit = u
			}
		}
	}
	return s.render(w, http.StatusOK, "admin_units", p)
}

// unitForm reads the fields of the add and edit forms.
func unitForm(r *http.Request) web.UnitInput {
	return web.UnitInput{Name: web.FormValue(r, "name"), Kind: web.FormValue(r, "kind"), DivisionCode: web.FormValue(r, "division_code"),
		Member: formBool(r, "member"), Head: web.FormValue(r, "head"), Liaison: web.FormValue(r, "liaison"), Phone: web.FormValue(r, "phone")}
}

func (s *handler) handleAdminUnitCreate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	in := unitForm(r)
	u := in.Unit()
	err := s.Units.CreateUnit(r.Context(), u)
	if formError(err) {
		p, perr := s.adminUnitsPage(w, r)
		if perr != nil {
			return perr
		}
		p.In = in
		if web.IsInvalid(err) {
			p.F = newFormErrors(p.Lang, err, []string{"name", "kind", "division_code", "head", "liaison", "phone"})
			p.F.Prefix = "add-"
		} else {
			p.Error, p.Errors = web.FieldErrors(err)
		}
		return s.render(w, web.FormStatus(err), "admin_units", p)
	} else if err != nil {
		return err
	}
	redirectDone(w, r, "/admin/units", u.ID, "created")
	return nil
}

func (s *handler) handleAdminUnitUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "单位")
	if err != nil {
		return err
	}
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	version, err := formVersion(r)
	if err == nil {
		in := unitForm(r)
		_, err = s.Units.UpdateUnit(r.Context(), id, ducha.UnitUpdate{Version: version, Name: &in.Name, Kind: &in.Kind,
			DivisionCode: &in.DivisionCode, Member: &in.Member, Head: &in.Head, Liaison: &in.Liaison, Phone: &in.Phone})
	}
	if formError(err) {
		p, perr := s.adminUnitsPage(w, r)
		if perr != nil {
			return perr
		}
		for _, u := range p.Units {
			if u.ID == id {
				err = ducha.Errorf(ducha.ErrorCode(err), "%s：%s", u.Name, ducha.ErrorMessage(err))
			}
		}
		p.Error = ducha.ErrorMessage(err)
		return s.render(w, web.ErrorStatus(ducha.ErrorCode(err)), "admin_units", p)
	} else if err != nil {
		return err
	}
	redirectDone(w, r, "/admin/units", id, "saved")
	return nil
}

// handleAdminUnitsImport reads an uploaded unit file through the same
// path as `ducha unit import` (Server.ImportUnits), in the server's one
// import slot and within its limits, and shows what it did or the row
// that stopped it.
func (s *handler) handleAdminUnitsImport(w http.ResponseWriter, r *http.Request) error {
	if s.ImportUnits == nil {
		return ducha.Errorf(ducha.ENOTFOUND, "本服务未启用单位导入")
	}
	created, updated, err := s.importUnits(w, r)
	if err != nil && ducha.ErrorCode(err) != ducha.EINVALID {
		return err
	}
	p, perr := s.adminUnitsPage(w, r)
	if perr != nil {
		return perr
	}
	if err != nil {
		p.ImportError = ducha.ErrorMessage(err)
		return s.render(w, http.StatusBadRequest, "admin_units", p)
	}
	p.Imported = &unitsImported{Created: created, Updated: updated}
	return s.render(w, http.StatusOK, "admin_units", p)
}

func (s *handler) importUnits(w http.ResponseWriter, r *http.Request) (created, updated int, err error) {
	up, err := web.ReceiveUpload(w, r, s.ImportFileLimit())
	if err != nil {
		return 0, 0, err
	}
	name, data, release, err := s.ImportUpload(w, r, up)
	if err != nil {
		return 0, 0, err
	}
	defer release()
	return s.ImportUnits(r.Context(), bytes.NewReader(data), name)
}
