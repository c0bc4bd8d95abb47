package ducha

import "testing"

// One person, whose record names case 3 (no measure) and case 5 (whose
// held_accountable measure names one person): the natural reading is one
// person, but the "lowest case" rule puts them on case 3 and case 5's
// measure counts again.
func TestAttack2HeldAccountableLowestCaseWithoutMeasure(t *testing.T) {
	got := CountHeldAccountable(map[int64]int{5: 1}, []AccountablePerson{{Person: "王五", UnitID: 1, Cases: []int64{3, 5}}})
	if got != 1 {
		t.Errorf("one person in a record of cases 3 and 5, case 5's measure 1: counted %d", got)
	}
}

// The same name written with a zero-width space (pasted from a document)
// counts as two people; so does a full-width/compatibility variant.
func TestAttack2HeldAccountableInvisibleCharacters(t *testing.T) {
	got := CountHeldAccountable(nil, []AccountablePerson{{Person: "王五", UnitID: 1}, {Person: "王\u200b五", UnitID: 1}})
	if got != 1 {
		t.Errorf("王五 and 王<ZWSP>五: counted %d", got)
	}
}
