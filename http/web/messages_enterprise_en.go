package web

// enterpriseMessagesEN are the English messages of the enterprise pages
// and of turning a case into a ledger problem.
var enterpriseMessagesEN = map[string]string{
	"nav.enterprises": "Enterprises",

	"enterprises.title":  "Enterprises",
	"enterprises.total":  "%d enterprises",
	"enterprises.empty":  "No enterprise matches",
	"enterprises.export": "Export to Excel (as filtered)",

	"enterprise.title":          "Enterprise",
	"enterprise.back":           "Back to the enterprises",
	"enterprise.name":           "Enterprise",
	"enterprise.credit_code":    "Unified social credit code",
	"enterprise.address":        "Address",
	"enterprise.industry":       "Industry",
	"enterprise.cases":          "Cases",
	"enterprise.measures":       "Measures",
	"enterprise.fines":          "Fines (yuan)",
	"enterprise.problems":       "Problems",
	"enterprise.repeat":         "Repeat offender",
	"enterprise.case_list":      "Cases naming it",
	"enterprise.cases_empty":    "No case you may see",
	"enterprise.problem_list":   "Ledger problems",
	"enterprise.problems_empty": "No ledger problem has this enterprise as its subject",

	"case.open_problem":      "Open a ledger problem",
	"case.open_problem_hint": "A substantiated case can become a ledger problem, sourced from complaints and linked with this case. What you leave empty is taken from the case: the description from the complaint, area and pollution types as the case's, the lead unit as its first unit.",
	"field.cases":            "Linked cases",
	"flash.from_case":        "Ledger problem opened and linked with the case",

	"action.case_open_problem": "Opened a ledger problem",
	"action.link_case":         "Linked a case",
}
