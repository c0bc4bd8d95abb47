package text

import (
	"ducha"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// mp builds an expected proposal.
func mp(kind string, persons int, fen int64, evidence string) MeasureProposal {
	return MeasureProposal{Kind: kind, Persons: persons, FineFen: fen, Evidence: evidence}
}

func TestProposeMeasures(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []MeasureProposal
	}{
		{"decision and fine",
			"经查，该举报问题属实。县生态环境局已对该砖厂下达《责令改正违法行为决定书》，责令其立即停止违法排污行为并限期整改，同时立案处罚，罚款人民币5万元。",
			[]MeasureProposal{
				mp(ducha.MeasureOrderedToRectify, 0, 0, "责令改正；限期整改"),
				mp(ducha.MeasurePenaltyCase, 0, 5000000, "立案处罚；罚款人民币5万元"),
			}},
		{"sand pit closed",
			"县自然资源局会同永清镇人民政府对该非法采砂点进行了查处，依法予以取缔，拆除采砂设备2台，没收采砂船1艘。",
			[]MeasureProposal{mp(ducha.MeasureClosedDown, 0, 0, "取缔；拆除采砂设备")}},
		{"farm suspended, fined, head interviewed",
			"经调查，反映问题部分属实。该养殖场未配套建设粪污处理设施，畜禽粪污直排入河。县农业农村局已责令该养殖场停产整治，县生态环境局对其立案处罚，罚款2.5万元，并约谈养殖场负责人。",
			[]MeasureProposal{
				mp(ducha.MeasureSuspended, 0, 0, "停产整治"),
				mp(ducha.MeasurePenaltyCase, 0, 2500000, "立案处罚；罚款2.5万元"),
				mp(ducha.MeasureInterviewed, 1, 0, "约谈"),
			}},
		{"unsubstantiated, no violation",
			"经核查，举报问题不属实。该企业污染防治设施正常运行，监测数据显示废气排放达标，未发现违法行为，不予处罚。",
			nil},
		{"restaurant fumes",
			"该餐饮店油烟净化设施未正常使用，县综合执法局已责令其立即整改，现已整改到位。",
			[]MeasureProposal{mp(ducha.MeasureOrderedToRectify, 0, 0, "责令其立即整改")}},
		{"construction noise",
			"针对群众反映的噪声扰民问题，县住建局约谈施工单位项目负责人2人，责令其夜间22时至次日6时停止高噪声作业。",
			[]MeasureProposal{mp(ducha.MeasureInterviewed, 2, 0, "约谈施工单位项目负责人2人")}},
		{"named detainees",
			"县公安局对涉事企业负责人王某某、张某予以行政拘留。",
			[]MeasureProposal{mp(ducha.MeasureAdministrativeDetention, 2, 0, "王某某、张某予以行政拘留")}},
		{"criminal case and detention",
			"该企业通过暗管偷排含重金属废水，涉嫌污染环境罪，县生态环境局已将案件移送县公安局立案侦查，公安机关对2名犯罪嫌疑人刑事拘留。",
			[]MeasureProposal{
				mp(ducha.MeasureCriminalCase, 0, 0, "移送县公安局立案侦查"),
				mp(ducha.MeasureCriminalDetention, 2, 0, "2名犯罪嫌疑人刑事拘留"),
			}},
		{"financial numerals",
			"依据《中华人民共和国大气污染防治法》第一百零八条，对该公司处以罚款人民币壹拾万元整。",
			[]MeasureProposal{mp(ducha.MeasurePenaltyCase, 0, 10000000, "罚款人民币壹拾万元")}},
		{"scattered polluter closed",
			"经查，该砖厂属“散乱污”企业，已于5月30日关停，完成“两断三清”。",
			[]MeasureProposal{mp(ducha.MeasureClosedDown, 0, 0, "关停；两断三清")}},
		{"listed supervision",
			"对该洗砂场挂牌督办，责令限期整改，整改期间停产。",
			[]MeasureProposal{
				mp(ducha.MeasureOrderedToRectify, 0, 0, "责令限期整改"),
				mp(ducha.MeasureListedSupervision, 0, 0, "挂牌督办"),
			}},
		{"accountability, largest count",
			"县纪委监委对履职不力的3名干部进行问责，其中诫勉谈话1人、通报批评2人。",
			[]MeasureProposal{mp(ducha.MeasureHeldAccountable, 3, 0, "3名干部进行问责；诫勉谈话1人")}},
		{"village cadres interviewed",
			"经查，群众反映的焚烧垃圾问题属实。乡政府已组织人员清理焚烧点，对责任村村干部进行约谈，并对焚烧人员进行批评教育。",
			[]MeasureProposal{mp(ducha.MeasureInterviewed, 1, 0, "约谈")}},
		{"filling station",
			"该加油站油气回收装置未正常运行，县生态环境局下达责令改正违法行为决定书，并立案调查。",
			[]MeasureProposal{
				mp(ducha.MeasureOrderedToRectify, 0, 0, "责令改正"),
				mp(ducha.MeasurePenaltyCase, 0, 0, "立案调查"),
			}},
		{"not filed", "经调查，反映情况不属实，不予立案。", nil},
		{"no interview needed", "企业已自行整改完毕，经研究无需约谈。", nil},
		{"confiscation total",
			"县市场监管局对该企业生产的不合格产品立案查处，罚没款合计3.2万元。",
			[]MeasureProposal{mp(ducha.MeasurePenaltyCase, 0, 3200000, "立案查处；罚没款合计3.2万元")}},
		{"dust on a site",
			"针对扬尘污染问题，县住建局责令该工地停工整改，对施工单位罚款2万元，对项目经理约谈。",
			[]MeasureProposal{
				mp(ducha.MeasureSuspended, 0, 0, "停工整改"),
				mp(ducha.MeasurePenaltyCase, 0, 2000000, "罚款2万元"),
				mp(ducha.MeasureInterviewed, 1, 0, "约谈"),
			}},
		{"fine paid later",
			"县生态环境局依法对该公司作出行政处罚决定，罚款251542.71元；该公司已于6月5日缴纳罚款。",
			[]MeasureProposal{mp(ducha.MeasurePenaltyCase, 0, 25154271, "行政处罚；罚款251542.71元；罚款")}},
		{"suspended and ordered separately",
			"经查，举报人反映的问题属实。对该厂责令停产整治，并责令限期整改；对企业法定代表人约谈，对县生态环境局分管执法工作的副局长进行问责。",
			[]MeasureProposal{
				mp(ducha.MeasureOrderedToRectify, 0, 0, "责令限期整改"),
				mp(ducha.MeasureSuspended, 0, 0, "责令停产整治"),
				mp(ducha.MeasureInterviewed, 1, 0, "约谈"),
				mp(ducha.MeasureHeldAccountable, 1, 0, "问责"),
			}},
		{"dismantled facilities are the violation",
			"经查，该企业擅自拆除环保设施，县生态环境局对其罚款10万元，责令恢复环保设施正常运行。",
			[]MeasureProposal{mp(ducha.MeasurePenaltyCase, 0, 10000000, "罚款10万元")}},
		{"threat only", "如发现该企业再次违法排污，将依法予以关停。", nil},
		{"deadline then threat",
			"责令该企业于2026年6月30日前完成整改，逾期未完成的，依法责令停产整治。",
			[]MeasureProposal{mp(ducha.MeasureOrderedToRectify, 0, 0, "责令该企业于2026年6月30日前完成整改")}},
		{"two detentions by name",
			"县公安局对非法倾倒危险废物的李某刑事拘留，对运输车辆驾驶员赵某行政拘留10日。",
			[]MeasureProposal{
				mp(ducha.MeasureAdministrativeDetention, 1, 0, "赵某行政拘留"),
				mp(ducha.MeasureCriminalDetention, 1, 0, "李某刑事拘留"),
			}},
		{"thousands separator and person-times",
			"经查属实。对该公司责令改正，罚款人民币12,500.50元，同时对公司负责人约谈2人次。",
			[]MeasureProposal{
				mp(ducha.MeasureOrderedToRectify, 0, 0, "责令改正"),
				mp(ducha.MeasurePenaltyCase, 0, 1250050, "罚款人民币12,500.50元"),
				mp(ducha.MeasureInterviewed, 2, 0, "约谈2人"),
			}},
		{"police hand-over for administrative detention",
			"因拒不执行停产整治决定，县生态环境局将案件移送县公安局，公安机关对企业负责人行政拘留5日。",
			[]MeasureProposal{
				mp(ducha.MeasureSuspended, 0, 0, "停产整治"),
				mp(ducha.MeasureAdministrativeDetention, 1, 0, "行政拘留"),
			}},
		{"traditional and full-width",
			"經查，該企業違規排放廢水，縣生態環境局責令其停產整頓，並處罰款５萬元，約談負責人兩人。",
			[]MeasureProposal{
				mp(ducha.MeasureSuspended, 0, 0, "责令其停产整顿"),
				mp(ducha.MeasurePenaltyCase, 0, 5000000, "罚款5万元"),
				mp(ducha.MeasureInterviewed, 2, 0, "约谈负责人两人"),
			}},
		{"pinyin annotations",
			"縣生態(tài)環(huán)境局對該廠罰(fá)款(kuǎn)3萬元",
			[]MeasureProposal{mp(ducha.MeasurePenaltyCase, 0, 3000000, "罚款3万元")}},
		{"未 describing the violation",
			"对未批先建的混凝土搅拌站依法予以取缔，对未验收企业罚款3万元，对其法定代表人约谈。",
			[]MeasureProposal{
				mp(ducha.MeasureClosedDown, 0, 0, "取缔"),
				mp(ducha.MeasurePenaltyCase, 0, 3000000, "罚款3万元"),
				mp(ducha.MeasureInterviewed, 1, 0, "约谈"),
			}},
		{"responsibility pursued",
			"经查，反映问题属实，已责令该单位立即整改，目前已整改完毕。对相关责任人追究责任。",
			[]MeasureProposal{
				mp(ducha.MeasureOrderedToRectify, 0, 0, "责令该单位立即整改"),
				mp(ducha.MeasureHeldAccountable, 1, 0, "追究责任"),
			}},
		{"criminal responsibility is not 问责",
			"该案已移交公安机关，将依法追究相关人员刑事责任。",
			[]MeasureProposal{mp(ducha.MeasureCriminalCase, 0, 0, "移交公安")}},
		{"no further interview", "企业已按要求完成整改，不再约谈。", nil},
		{"no penalty under the law",
			"鉴于该企业系初次违法且危害后果轻微并及时改正，依据《行政处罚法》第三十三条，不予行政处罚。",
			nil},
		{"fine before the word",
			"县水利局对非法采砂行为人处以5000元罚款，并没收违法所得。",
			[]MeasureProposal{mp(ducha.MeasurePenaltyCase, 0, 500000, "5000元罚款")}},
		{"two fines add up",
			"对该企业罚款3万元，对其法定代表人罚款1万元。",
			[]MeasureProposal{mp(ducha.MeasurePenaltyCase, 0, 4000000, "罚款3万元；罚款1万元")}},
		{"heads of three firms",
			"县生态环境局对辖区内3家企业负责人进行集体约谈。",
			[]MeasureProposal{mp(ducha.MeasureInterviewed, 3, 0, "3家企业负责人进行集体约谈")}},
		{"fine per firm",
			"对涉事的两家企业分别罚款2万元。",
			[]MeasureProposal{mp(ducha.MeasurePenaltyCase, 0, 4000000, "两家企业分别罚款2万元")}},
		{"ordered but not fined",
			"县综合执法局对该烧烤摊点进行了劝导，责令其立即整改，未予罚款。",
			[]MeasureProposal{mp(ducha.MeasureOrderedToRectify, 0, 0, "责令其立即整改")}},
		{"刑拘 with count",
			"县公安局依法对涉嫌非法捕捞的犯罪嫌疑人刑拘3人，案件正在侦办中。",
			[]MeasureProposal{mp(ducha.MeasureCriminalDetention, 3, 0, "刑拘3人")}},
		{"two officials disciplined",
			"经县纪委监委研究，给予永清镇分管副镇长王某某政务警告处分，给予该镇环保办主任李某诫勉谈话。",
			[]MeasureProposal{mp(ducha.MeasureHeldAccountable, 2, 0, "王某某政务警告处分；李某诫勉谈话")}},
		{"future measures",
			"要求企业严格落实整改措施，如再次出现超标排放，将依法从严处罚并约谈企业负责人。",
			nil},
		{"site stopped itself",
			"该工地已停工，责令建设单位限期整改。",
			[]MeasureProposal{mp(ducha.MeasureOrderedToRectify, 0, 0, "责令建设单位限期整改")}},
		{"case, suspension and listing",
			"县生态环境局对该企业环境违法行为立案查处，责令停产整治，并报请县政府挂牌督办。",
			[]MeasureProposal{
				mp(ducha.MeasureSuspended, 0, 0, "责令停产整治"),
				mp(ducha.MeasureListedSupervision, 0, 0, "挂牌督办"),
				mp(ducha.MeasurePenaltyCase, 0, 0, "立案查处"),
			}},
		{"repeated interviews take the largest count",
			"约谈该镇分管领导2人；对涉事村干部约谈3人。",
			[]MeasureProposal{mp(ducha.MeasureInterviewed, 3, 0, "约谈该镇分管领导2人；约谈3人")}},
		{"full-width comma in an amount",
			"罚款１２，５００元，约谈负责人１名。",
			[]MeasureProposal{
				mp(ducha.MeasurePenaltyCase, 0, 1250000, "罚款12，500元"),
				mp(ducha.MeasureInterviewed, 1, 0, "约谈负责人1名"),
			}},
		{"detentions in one clause",
			"公安机关对相关人员行政拘留2人、刑事拘留1人。",
			[]MeasureProposal{
				mp(ducha.MeasureAdministrativeDetention, 2, 0, "行政拘留2人"),
				mp(ducha.MeasureCriminalDetention, 1, 0, "刑事拘留1人"),
			}},
		{"total wins over the parts",
			"对甲公司罚款3万元，对乙公司罚款5万元，共计罚款8万元。",
			[]MeasureProposal{mp(ducha.MeasurePenaltyCase, 0, 8000000, "罚款3万元；罚款5万元；罚款8万元")}},
		{"empty", "  ", nil},
	}
	for _, tt := range tests {
		got := ProposeMeasures(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: ProposeMeasures(%q)\n got  %+v\n want %+v", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestParseYuan(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"5万元", 5000000},
		{"12,500.50元", 1250050},
		{"1.2万", 1200000},
		{"251542.71", 25154271},
		{"罚款人民币三万元", 3000000},
		{"0.1", 10},
		{"0元", 0},
		{"５万元", 5000000},
		{"５萬元", 5000000},
		{"12，500元", 1250000},
		{"１２，５００．５０元", 1250050},
		{"¥1,000.00", 100000},
		{"共计8万元", 8000000},
		{"罚款金额为2.5万元", 2500000},
		{"处以罚款 3 万元", 3000000},
		{"2万元人民币", 2000000},
		{"壹万贰仟元整", 1200000},
		{"人民币壹拾万元整", 10000000},
		{"伍佰元整", 50000},
		{"叁仟元", 300000},
		{"十元", 1000},
		{"十二万五千元", 12500000},
		{"两万元", 2000000},
		{"一千零五十元", 105000},
		{"一万零二百元", 1020000},
		{"二〇〇元", -1}, // digit by digit is not an amount
		{"一万二", 1200000},
		{"三百五", 35000},
		{"两万五千", 2500000},
		{"5万3000元", 5300000},
		{"5万0300元", 5030000},
		{"5万零300元", 5030000},
		{"1亿5000万元", 15000000000},
		{"3千500元", 350000},
		{"1万2千元", 1200000},
		{"12元5角3分", 1253},
		{"12元零3分", 1203},
		{"8角", 80},
		{"3分", 3},
		{"1.234567万", 1234567},
		{"0.35亿元", 3500000000},
		{"1亿2千万元", 12000000000},
		{"92233720368547758.07", math.MaxInt64},
	}
	for _, tt := range tests {
		got, err := ParseYuan(tt.in)
		if tt.want < 0 {
			if err == nil {
				t.Errorf("ParseYuan(%q) = %d, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseYuanErrors(t *testing.T) {
	tests := []struct {
		in, msg string // msg: a fragment of the error message
	}{
		{"", "金额为空"},
		{" \u3000", "金额为空"},
		{"-5", "不能为负数"},
		{"－５万元", "不能为负数"},
		{"负5万元", "不能为负数"},
		{"12.500元", "小数位数过多"},
		{"1.234元", "小数位数过多"},
		{"1.2345678万", "小数位数过多"},
		{"92233720368547758.08", "过大"},
		{"99999999999999999999", "过大"},
		{"abc", "无法识别的金额“abc”"},
		{"罚款", "无法识别的金额“罚款”"},
		{"元", "无法识别"},
		{"万元", "无法识别"},
		{"5万万", "无法识别"},
		{"一万亿元", "无法识别"},
		{"1,2345元", "无法识别"},
		{"12,50元", "无法识别"},
		{"三万五元", "无法识别"},
		{"5三万", "无法识别"},
		{"三5万", "无法识别"},
		{"1..2", "无法识别"},
		{"5.", "无法识别"},
		{"百元", "无法识别"},
		{"三百四千", "无法识别"},
		{"5万30000元", "无法识别"},
		{"1万2", "无法识别"},
		{"5万300元", "无法识别"},
		{"5万零3000元", "无法识别"},
		{"5万3.5元", "无法识别"},
		{"12元5角3角", "无法识别"},
		{"12元5", "无法识别"},
		{"15角", "无法识别"},
		{"约5万元", "无法识别"},
		{"5万元以下", "无法识别"},
	}
	for _, tt := range tests {
		got, err := ParseYuan(tt.in)
		if err == nil {
			t.Errorf("ParseYuan(%q) = %d, want an error", tt.in, got)
			continue
		}
		if !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("ParseYuan(%q) error %q, want it to contain %q", tt.in, err, tt.msg)
		}
	}
	if _, err := ParseYuan(""); !errors.Is(err, ErrEmptyAmount) {
		t.Errorf("ParseYuan(\"\") error %v, want ErrEmptyAmount", err)
	}
}

// TestFinesSumExactly checks that fines add up to the fen, as the daily
// report needs: with float64, ten times 0.1 is not 1.
func TestFinesSumExactly(t *testing.T) {
	var sum int64
	for range 10 {
		fen, err := ParseYuan("0.1")
		if err != nil {
			t.Fatal(err)
		}
		sum += fen
	}
	if sum != 100 {
		t.Errorf("ten times 0.1 yuan = %d fen, want 100", sum)
	}

	// 1000 amounts i.07 yuan, written in three ways.
	sum = 0
	var want int64
	for i := 1; i <= 1000; i++ {
		for _, s := range []string{
			strconv.Itoa(i) + ".07",
			strconv.Itoa(i) + ".07元",
			"人民币" + strconv.Itoa(i) + "元7分",
		} {
			fen, err := ParseYuan(s)
			if err != nil {
				t.Fatalf("ParseYuan(%q): %v", s, err)
			}
			sum += fen
			want += int64(i)*100 + 7
		}
	}
	if sum != want || want != 3*(500500*100+7000) {
		t.Errorf("sum of 3000 fines = %d fen, want %d", sum, want)
	}

	// The fines of the daily report of SPEC section 4, in parts.
	sum = 0
	for _, s := range []string{"10万元", "15万元", "1,542.70元", "0.01", "零元"} {
		fen, err := ParseYuan(s)
		if err != nil {
			t.Fatalf("ParseYuan(%q): %v", s, err)
		}
		sum += fen
	}
	if sum != 25154271 {
		t.Errorf("report fines = %d fen, want 25154271 (251542.71 元)", sum)
	}

	// Fines found in handling texts sum exactly as well.
	sum = 0
	for range 7 {
		for _, p := range ProposeMeasures("对该企业罚款人民币0.3万元，罚款1,000.10元") {
			sum += p.FineFen
		}
	}
	if sum != 7*(300000+100010) {
		t.Errorf("sum of proposed fines = %d fen, want %d", sum, 7*(300000+100010))
	}
}

// TestProposeMeasuresInvariants checks every proposal of many texts: kinds
// in SPEC order and once each, persons only and always for the person
// kinds, fines only on penalty cases, evidence taken from the text.
func TestProposeMeasuresInvariants(t *testing.T) {
	texts := []string{
		"对该厂罚款5万元，约谈负责人2人，责令停产整治，移送公安机关立案侦查，行政拘留2人，刑事拘留1人，对3名责任人进行问责，挂牌督办，关停取缔，责令限期整改。",
		"不予处罚，无需约谈，未责令整改，不予立案。",
		"罚款罚款罚款，约谈约谈，，。。；",
		"罚款1,2，约谈两两人，罚款一万亿元，行政拘留十十人",
	}
	for _, s := range texts {
		// Every prefix, so that clauses and amounts are cut anywhere.
		rs := []rune(s)
		for n := 0; n <= len(rs); n++ {
			in := string(rs[:n])
			clean := strings.ReplaceAll(Clean(in), " ", "")
			last := -1
			for _, p := range ProposeMeasures(in) {
				i := indexOf(ducha.MeasureKinds, p.Kind)
				if i <= last {
					t.Fatalf("ProposeMeasures(%q): %s out of order or repeated", in, p.Kind)
				}
				last = i
				if ducha.MeasureCountsPersons(p.Kind) != (p.Persons > 0) {
					t.Errorf("ProposeMeasures(%q): %s has %d persons", in, p.Kind, p.Persons)
				}
				if p.FineFen < 0 || p.FineFen > 0 && p.Kind != ducha.MeasurePenaltyCase {
					t.Errorf("ProposeMeasures(%q): %s has fine %d", in, p.Kind, p.FineFen)
				}
				for _, e := range strings.Split(p.Evidence, "；") {
					if e == "" || !strings.Contains(clean, e) {
						t.Errorf("ProposeMeasures(%q): evidence %q not in the text", in, e)
					}
				}
			}
		}
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"5万元", "12,500.50元", "壹万贰仟元整", "12元5角3分", "1亿2千万元", "一万二", "0.35亿元"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, err := ParseYuan(s)
		if err == nil && fen < 0 {
			t.Errorf("ParseYuan(%q) = %d", s, fen)
		}
	})
}

func FuzzProposeMeasures(f *testing.F) {
	f.Add("经查属实。对该公司责令改正，罚款人民币12,500.50元，同时对公司负责人约谈2人次。")
	f.Add("县公安局对涉事企业负责人王某某、张某予以行政拘留。")
	f.Add("对涉事的两家企业分别罚款2万元，共计罚款4万元")
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range ProposeMeasures(s) {
			if ducha.MeasureLabel(p.Kind) == "" || p.FineFen < 0 || p.Persons < 0 {
				t.Errorf("ProposeMeasures(%q) gave %+v", s, p)
			}
		}
	})
}
