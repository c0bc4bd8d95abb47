package web

import (
	"context"

	"ducha"
)

// A substantiated case becomes a ledger problem (转入问题台账): the store
// registers it with source 信访交办, fills what the input leaves empty from
// the case, and links the two both ways.

// OpenProblem resolves the input's units and opens the problem for case
// c, then reads it back with its cases.
func (s *Server) OpenProblem(ctx context.Context, c *ducha.Case, in ProblemInput) (*ducha.Problem, error) {
	if s.Enterprises == nil {
		return nil, ErrNoEnterprises
	}
	if in.Source != "" && in.Source != "信访交办" {
		return nil, ducha.FieldError("source", "由交办件转入的问题，来源只能是信访交办")
	}
	var fe FormValidation
	p, err := s.problem(ctx, in, &fe)
	if err != nil {
		return nil, err
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if p, err = s.Enterprises.OpenProblemFromCase(ctx, c.ID, p); err != nil {
		return nil, err
	}
	return s.Problems.FindProblemByID(ctx, p.ID)
}
