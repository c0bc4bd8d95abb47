package ducha_test

import (
	"reflect"
	"testing"

	"ducha"
)

func TestMeasureKinds(t *testing.T) {
	want := []string{
		ducha.MeasureOrderedToRectify, ducha.MeasureSuspended, ducha.MeasureClosedDown, ducha.MeasureListedSupervision,
		ducha.MeasurePenaltyCase, ducha.MeasureCriminalCase, ducha.MeasureAdministrativeDetention,
		ducha.MeasureCriminalDetention, ducha.MeasureInterviewed, ducha.MeasureHeldAccountable,
	}
	if got := ducha.MeasureKinds; !reflect.DeepEqual(got, want) {
		t.Fatalf("ducha.MeasureKinds = %q, want %q", got, want)
	}
	labels := map[string]string{
		ducha.MeasureOrderedToRectify: "责令整改", ducha.MeasureSuspended: "停产整治", ducha.MeasureClosedDown: "关停取缔",
		ducha.MeasureListedSupervision: "挂牌督办", ducha.MeasurePenaltyCase: "立案处罚", ducha.MeasureCriminalCase: "立案侦查",
		ducha.MeasureAdministrativeDetention: "行政拘留", ducha.MeasureCriminalDetention: "刑事拘留",
		ducha.MeasureInterviewed: "约谈", ducha.MeasureHeldAccountable: "问责",
	}
	var persons, enterprises []string
	for _, k := range want {
		if got := ducha.MeasureLabel(k); got != labels[k] {
			t.Errorf("ducha.MeasureLabel(%q) = %q, want %q", k, got, labels[k])
		}
		if ducha.MeasureCountsPersons(k) {
			persons = append(persons, k)
		}
		if ducha.MeasureCountsEnterprises(k) {
			enterprises = append(enterprises, k)
		}
	}
	if want := []string{ducha.MeasureAdministrativeDetention, ducha.MeasureCriminalDetention, ducha.MeasureInterviewed, ducha.MeasureHeldAccountable}; !reflect.DeepEqual(persons, want) {
		t.Errorf("kinds counted in persons = %q, want %q", persons, want)
	}
	if want := []string{ducha.MeasureOrderedToRectify, ducha.MeasureSuspended, ducha.MeasureClosedDown, ducha.MeasureListedSupervision, ducha.MeasurePenaltyCase}; !reflect.DeepEqual(enterprises, want) {
		t.Errorf("kinds counted in enterprises = %q, want %q", enterprises, want)
	}
	if ducha.MeasureLabel("fined") != "fined" || ducha.MeasureCountsPersons("") || ducha.MeasureCountsEnterprises("fined") {
		t.Error("an unknown kind has a label or a count")
	}
}
