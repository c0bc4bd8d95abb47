package text

import (
	"ducha"
	"reflect"
	"testing"
)

// mpe builds an expected proposal with its enterprise.
func mpe(kind string, persons int, fen int64, enterprise, evidence string) MeasureProposal {
	return MeasureProposal{Kind: kind, Persons: persons, FineFen: fen, Enterprise: enterprise, Evidence: evidence}
}

// TestProposeMeasuresPublished reads handling texts written the way the
// published disclosure tables (公开情况一览表) write their 处理和整改情况,
// and checks every proposal: kind, persons, fine, enterprise and evidence.
// The texts after "Nothing to propose" must propose nothing: results,
// plans, negations and threats.
func TestProposeMeasuresPublished(t *testing.T) {
	tests := []struct {
		in   string
		want []MeasureProposal
	}{
		{"经查，群众反映问题属实。县生态环境局已对该企业立案处罚，罚款人民币3.5万元，并责令其立即整改；约谈企业负责人1人。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令其立即整改"),
				mpe(ducha.MeasurePenaltyCase, 0, 3500000, "", "立案处罚；罚款人民币3.5万元"),
				mpe(ducha.MeasureInterviewed, 1, 0, "", "约谈企业负责人1人"),
			}},
		{"经现场核查，群众反映的清水县宏达房地产开发有限公司承建的安置小区项目施工扬尘问题属实。县住建局责令项目建设单位全面覆盖渣土堆，并对施工现场道路进行硬化，目前已整改到位。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "清水县宏达房地产开发有限公司", "责令项目建设单位全面覆盖渣土堆"),
			}},
		{"经调查，反映问题属实。县生态环境局对清水县鑫源砂石料有限公司未批先建行为立案查处，责令该公司立即停止违法行为，依法处罚款人民币8万元。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "清水县鑫源砂石料有限公司", "责令该公司立即停止违法行为"),
				mpe(ducha.MeasurePenaltyCase, 0, 8000000, "清水县鑫源砂石料有限公司", "立案查处；罚款人民币8万元"),
			}},
		{"经查，反映的永清镇上寨村兴旺生猪养殖场粪污直排问题属实。县农业农村局会同永清镇人民政府对该养殖场实施停产整治，县生态环境局对其罚款2万元。",
			[]MeasureProposal{
				mpe(ducha.MeasureSuspended, 0, 0, "永清镇上寨村兴旺生猪养殖场", "停产整治"),
				mpe(ducha.MeasurePenaltyCase, 0, 2000000, "永清镇上寨村兴旺生猪养殖场", "罚款2万元"),
			}},
		{"經查，群眾反映問題屬實。縣生態環境局責令清水縣福潤磚瓦廠停產整治，罰款5萬元，約談企業負責人。",
			[]MeasureProposal{
				mpe(ducha.MeasureSuspended, 0, 0, "清水县福润砖瓦厂", "停产整治"),
				mpe(ducha.MeasurePenaltyCase, 0, 5000000, "清水县福润砖瓦厂", "罚款5万元"),
				mpe(ducha.MeasureInterviewed, 1, 0, "", "约谈"),
			}},
		{"经核查，群众反映问题部分属实。白驼镇人民政府约谈相关负责人（约谈2人），责令涉事企业限期整改。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令涉事企业限期整改"),
				mpe(ducha.MeasureInterviewed, 2, 0, "", "约谈相关负责人（约谈2人）"),
			}},
		{"县城市管理综合执法局约谈辖区5个单位，督促落实餐饮油烟净化设施清洗制度。",
			[]MeasureProposal{
				mpe(ducha.MeasureInterviewed, 5, 0, "", "约谈辖区5个单位"),
			}},
		{"县生态环境局集中约谈5家企业负责人，通报典型案例。",
			[]MeasureProposal{
				mpe(ducha.MeasureInterviewed, 5, 0, "", "约谈5家企业负责人"),
			}},
		{"经查，该加油站油气回收装置未正常运行。县生态环境局责令其立即整改，并处罚款人民币2.5万元。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令其立即整改"),
				mpe(ducha.MeasurePenaltyCase, 0, 2500000, "", "罚款人民币2.5万元"),
			}},
		{"经查属实。县水务局会同县公安局对樊河永清段非法采砂点予以取缔，拆除采砂设备3台，移送县公安局立案侦查，公安机关对2名犯罪嫌疑人刑事拘留。",
			[]MeasureProposal{
				mpe(ducha.MeasureClosedDown, 0, 0, "", "取缔；拆除采砂设备"),
				mpe(ducha.MeasureCriminalCase, 0, 0, "", "移送县公安局立案侦查"),
				mpe(ducha.MeasureCriminalDetention, 2, 0, "", "2名犯罪嫌疑人刑事拘留"),
			}},
		{"经调查，反映情况属实。对该公司环境违法行为立案处罚，罚款10万元；对公司法定代表人王某某行政拘留10日；县纪委监委对履职不力的永清镇分管副镇长进行问责。",
			[]MeasureProposal{
				mpe(ducha.MeasurePenaltyCase, 0, 10000000, "", "立案处罚；罚款10万元"),
				mpe(ducha.MeasureAdministrativeDetention, 1, 0, "", "王某某行政拘留"),
				mpe(ducha.MeasureHeldAccountable, 1, 0, "", "问责"),
			}},
		{"县综合执法局对永清路兴旺烧烤店露天烧烤行为进行查处，责令该店主立即停止露天烧烤，罚款500元。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "永清路兴旺烧烤店", "责令该店主立即停止露天烧烤"),
				mpe(ducha.MeasurePenaltyCase, 0, 50000, "永清路兴旺烧烤店", "罚款500元"),
			}},
		{"经查，群众反映问题属实。已责令企业立即整改，依法立案处罚。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令企业立即整改"),
				mpe(ducha.MeasurePenaltyCase, 0, 0, "", "立案处罚"),
			}},
		{"经查，该洗煤厂储煤场未建设防风抑尘网。县工业和信息化局已责令清水县顺通洗煤有限公司停产整治，县生态环境局对其挂牌督办。",
			[]MeasureProposal{
				mpe(ducha.MeasureSuspended, 0, 0, "清水县顺通洗煤有限公司", "停产整治"),
				mpe(ducha.MeasureListedSupervision, 0, 0, "清水县顺通洗煤有限公司", "挂牌督办"),
			}},
		{"经查属实。县市场监督管理局对清水县绿源食品有限公司立案调查，罚没款合计1.2万元。",
			[]MeasureProposal{
				mpe(ducha.MeasurePenaltyCase, 0, 1200000, "清水县绿源食品有限公司", "立案调查；罚没款合计1.2万元"),
			}},
		{"经核查，群众反映问题属实。县住建局责令施工单位夜间22时至次日6时停止高噪声作业，对施工单位罚款1万元。",
			[]MeasureProposal{
				mpe(ducha.MeasurePenaltyCase, 0, 1000000, "", "罚款1万元"),
			}},
		{"经查，举报问题属实。县生态环境局对清水县金河石材加工厂和清水县宏达建材有限公司分别罚款3万元，并责令两家企业限期整改。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令两家企业限期整改"),
				mpe(ducha.MeasurePenaltyCase, 0, 6000000, "", "清水县金河石材加工厂和清水县宏达建材有限公司分别罚款3万元"),
			}},
		{"经查，该养殖场粪污贮存池容量不足，已责令养殖场业主限期扩建贮存池，县农业农村局约谈养殖户1人。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令养殖场业主限期扩建贮存池"),
				mpe(ducha.MeasureInterviewed, 1, 0, "", "约谈养殖户1人"),
			}},
		{"经核查，群众反映问题属实。县自然资源局已责令清水县鑫源砂石料场停止开采，拆除破碎筛分设备2套，对占用林地予以复绿。",
			[]MeasureProposal{
				mpe(ducha.MeasureSuspended, 0, 0, "清水县鑫源砂石料场", "责令清水县鑫源砂石料场停止开采"),
				mpe(ducha.MeasureClosedDown, 0, 0, "清水县鑫源砂石料场", "拆除破碎筛分设备"),
			}},
		{"经查，反映的问题基本属实。县林草局对违法占用林地的行为人李某立案处罚，罚款人民币6,500元，责令其恢复植被。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令其恢复植被"),
				mpe(ducha.MeasurePenaltyCase, 0, 650000, "", "立案处罚；罚款人民币6,500元"),
			}},
		{"經調查，群眾反映問題屬實。縣生態環境局對該企業罰款人民幣伍萬元整，責令該企業限期整改，約談企業負責人（約談2人）。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令该企业限期整改"),
				mpe(ducha.MeasurePenaltyCase, 0, 5000000, "", "罚款人民币伍万元"),
				mpe(ducha.MeasureInterviewed, 2, 0, "", "约谈企业负责人（约谈2人）"),
			}},
		{"经查属实。县纪委监委对2名负有监管责任的干部进行约谈，对1人进行诫勉谈话。",
			[]MeasureProposal{
				mpe(ducha.MeasureInterviewed, 2, 0, "", "2名负有监管责任的干部进行约谈"),
				mpe(ducha.MeasureHeldAccountable, 1, 0, "", "1人进行诫勉谈话"),
			}},
		{"经查，群众反映问题属实。县农业农村局已对该合作社下达责令改正通知书，督促其完善粪污处理设施。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令改正"),
			}},
		{"经调查，反映问题属实。县生态环境局对该公司已停产整治，并对其违法行为罚款人民币15万元。",
			[]MeasureProposal{
				mpe(ducha.MeasureSuspended, 0, 0, "", "停产整治"),
				mpe(ducha.MeasurePenaltyCase, 0, 15000000, "", "罚款人民币15万元"),
			}},
		{"经查，群众反映问题属实，县城管局已约谈3家餐饮店负责人，责令其安装油烟净化设施。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令其安装油烟净化设施"),
				mpe(ducha.MeasureInterviewed, 3, 0, "", "约谈3家餐饮店负责人"),
			}},
		{"经查，清水县宏达化工有限公司危险废物贮存不规范，县生态环境局责令该公司限期整改，并对未按规定设置危险废物识别标志的行为罚款人民币3万元。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "清水县宏达化工有限公司", "责令该公司限期整改"),
				mpe(ducha.MeasurePenaltyCase, 0, 3000000, "清水县宏达化工有限公司", "罚款人民币3万元"),
			}},
		{"县公安局对非法倾倒工业固废的驾驶员张某行政拘留5日，县生态环境局对清水县众诚铸造有限公司罚款20万元，并移送公安机关立案侦查。",
			[]MeasureProposal{
				mpe(ducha.MeasurePenaltyCase, 0, 20000000, "清水县众诚铸造有限公司", "罚款20万元"),
				mpe(ducha.MeasureCriminalCase, 0, 0, "", "移送公安机关立案侦查"),
				mpe(ducha.MeasureAdministrativeDetention, 1, 0, "", "张某行政拘留"),
			}},
		{"经查，该餐饮店油烟净化设施未正常使用，县城管局已责令店主立即清洗油烟净化设施。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令店主立即清洗油烟净化设施"),
			}},
		{"经查属实。对涉事企业负责人约谈（约谈3人），并对永清镇人民政府分管领导进行约谈。",
			[]MeasureProposal{
				mpe(ducha.MeasureInterviewed, 3, 0, "", "约谈（约谈3人）；约谈"),
			}},
		{"县纪委监委对负有监管责任的3名干部进行问责，其中给予党纪处分1人、诫勉谈话2人。",
			[]MeasureProposal{
				mpe(ducha.MeasureHeldAccountable, 3, 0, "", "3名干部进行问责；党纪处分1人、诫勉谈话2人"),
			}},
		{"经查，群众反映的问题属实，县住建局对清水县龙腾建筑工程有限公司下达整改通知书，要求其限期整改。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "清水县龙腾建筑工程有限公司", "限期整改"),
			}},
		// Nothing to propose.
		{"经查，群众反映问题不属实。该企业各项污染防治设施运行正常，监测数据达标，未发现违法行为。",
			nil},
		{"经现场核查，举报问题不属实，无需整改。",
			nil},
		{"经查，反映问题部分属实，企业已自行整改到位，下一步将加强监管。",
			nil},
		{"经核查，群众反映问题不属实。乡镇将继续加强巡查，防止问题反弹。",
			nil},
		{"经查，该公司不存在超标排放问题，向举报人做好解释工作。",
			nil},
		{"经查，群众反映问题属实，企业已自行完成整改，县生态环境局未责令停产，不予处罚。",
			nil},
		{"经查，该企业系初次违法，危害后果轻微并及时改正，依法不予处罚，没有罚款。",
			nil},
		{"经调查，该案件正在调查中，暂未立案。",
			nil},
		{"经查，群众反映问题不属实，未发现该企业存在违法排污行为，不存在环境违法问题。",
			nil},
		{"经核查，举报人反映的问题已于2026年3月整改完毕，本次核查未发现问题反弹，无需立案。",
			nil},
		{"经查属实。下一步，县生态环境局将对该企业依法立案处罚，并约谈企业负责人。",
			nil},
		{"经核查，该问题属历史遗留问题，县政府已制定整改方案，拟对相关责任人进行问责。",
			nil},
		{"经现场核查，群众反映问题不属实，现场未发现焚烧痕迹，已向来电人反馈核查结果，举报人表示满意。",
			nil},
		{"经核查，未发现举报人反映的夜间偷排问题，监测结果达标，不予立案处罚。",
			nil},
		{"经查，该企业未被责令停产，也未受到行政处罚。",
			nil},
		{"经查，群众反映问题不属实，该公司没有被罚款，也无需约谈。",
			nil},
	}
	none := 0
	for _, tt := range tests {
		if tt.want == nil {
			none++
		}
		if got := ProposeMeasures(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ProposeMeasures(%q)\n got  %+v\n want %+v", tt.in, got, tt.want)
		}
	}
	if len(tests) < 30 || none < 10 {
		t.Errorf("%d texts, %d proposing nothing: want at least 30 and 10", len(tests), none)
	}
}

// TestProposeMeasuresRules checks the rules of issue 7 one by one: orders
// to a named or unnamed addressee, suspension words, unit counts for 约谈,
// negations and futures, enterprises named in another sentence or several
// in one, traditional characters.
func TestProposeMeasuresRules(t *testing.T) {
	tests := []struct {
		in   string
		want []MeasureProposal
	}{
		{"责令项目建设单位全面覆盖渣土堆，并对施工现场道路进行硬化。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令项目建设单位全面覆盖渣土堆"),
			}},
		{"责令该公司立即停止违法行为。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令该公司立即停止违法行为"),
			}},
		{"责令该公司停产。",
			[]MeasureProposal{
				mpe(ducha.MeasureSuspended, 0, 0, "", "责令该公司停产"),
			}},
		{"责令其夜间停止高噪声作业。",
			nil},
		{"责令宏达建材有限公司立即清理堆放的废渣。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "宏达建材有限公司", "责令宏达建材有限公司立即清理堆放的废渣"),
			}},
		{"责令清水县祥和建材有限公司停止违法建设行为。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "清水县祥和建材有限公司", "责令清水县祥和建材有限公司停止违法建设行为"),
			}},
		{"该厂已停产整治。",
			[]MeasureProposal{
				mpe(ducha.MeasureSuspended, 0, 0, "", "停产整治"),
			}},
		{"对该洗砂场实施停产整治。",
			[]MeasureProposal{
				mpe(ducha.MeasureSuspended, 0, 0, "", "停产整治"),
			}},
		{"约谈5个单位。",
			[]MeasureProposal{
				mpe(ducha.MeasureInterviewed, 5, 0, "", "约谈5个单位"),
			}},
		{"约谈5家企业负责人3人。",
			[]MeasureProposal{
				mpe(ducha.MeasureInterviewed, 3, 0, "", "约谈5家企业负责人3人"),
			}},
		{"对辖区内5家企业进行约谈。",
			[]MeasureProposal{
				mpe(ducha.MeasureInterviewed, 5, 0, "", "5家企业进行约谈"),
			}},
		{"未对该企业进行罚款。",
			nil},
		{"对未密闭运输的渣土车辆罚款2000元。",
			[]MeasureProposal{
				mpe(ducha.MeasurePenaltyCase, 0, 200000, "", "罚款2000元"),
			}},
		{"该企业未被罚款。",
			nil},
		{"暂未对该企业的违法行为立案处罚。",
			nil},
		{"因未按时清运被罚款500元。",
			[]MeasureProposal{
				mpe(ducha.MeasurePenaltyCase, 0, 50000, "", "罚款500元"),
			}},
		{"將責令其停產整治。",
			nil},
		{"对宏达化工有限公司罚款3万元，对鑫源建材有限公司罚款5万元。",
			[]MeasureProposal{
				mpe(ducha.MeasurePenaltyCase, 0, 8000000, "", "罚款3万元；罚款5万元"),
			}},
		{"群众反映清水县宏达化工有限公司夜间偷排。经查属实，县生态环境局对该企业罚款5万元。",
			[]MeasureProposal{
				mpe(ducha.MeasurePenaltyCase, 0, 5000000, "清水县宏达化工有限公司", "罚款5万元"),
			}},
		{"责令县污水处理厂限期整改。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令县污水处理厂限期整改"),
			}},
		{"县农业农村局责令养殖户立即清运粪污。",
			[]MeasureProposal{
				mpe(ducha.MeasureOrderedToRectify, 0, 0, "", "责令养殖户立即清运粪污"),
			}},
		{"建议县纪委监委对相关责任人问责。",
			nil},
		{"約談企業負責人（約談2人）。",
			[]MeasureProposal{
				mpe(ducha.MeasureInterviewed, 2, 0, "", "约谈企业负责人（约谈2人）"),
			}},
	}
	for _, tt := range tests {
		if got := ProposeMeasures(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ProposeMeasures(%q)\n got  %+v\n want %+v", tt.in, got, tt.want)
		}
	}
}

func TestFindEnterprises(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"县生态环境局对清水县宏达建材有限公司立案处罚", []string{"清水县宏达建材有限公司"}},
		{"责令宏达公司限期整改", []string{"宏达公司"}},
		{"群众反映的永清镇上寨村宏达生猪养殖场粪污直排", []string{"永清镇上寨村宏达生猪养殖场"}},
		{"对鑫源砂石料场和福润砖瓦厂分别罚款", []string{"鑫源砂石料场", "福润砖瓦厂"}},
		{"清水县祥和建材有限公司", []string{"清水县祥和建材有限公司"}},
		{"白驼瑞丰养殖专业合作社", []string{"白驼瑞丰养殖专业合作社"}},
		{"永盛化工作坊、金河石材加工厂", []string{"永盛化工作坊", "金河石材加工厂"}},
		{"对兴旺KTV罚款", []string{"兴旺KTV"}},
		{"中国石化销售股份有限公司甘肃天水清水加油站", []string{"中国石化销售股份有限公司甘肃天水清水加油站"}},
		{"宏达化工有限公司清水分公司", []string{"宏达化工有限公司清水分公司"}},
		// no names
		{"对清水县建材有限公司罚款", nil}, // a place, no trade name
		{"对宏达采石点罚款", nil},     // no form
		{"责令该公司立即整改", nil},
		{"县生态环境局对该砖厂下达决定书", nil},
		{"责令项目建设单位全面覆盖渣土堆", nil},
		{"对施工现场道路进行硬化", nil},
		{"县污水处理厂出水超标", nil},
		{"农贸市场周边", nil},
		{"县生活垃圾填埋场渗滤液外溢", nil},
		{"永清镇上寨村生猪养殖场", nil},
		{"对甲公司罚款", nil},
		{"对辖区内相关企业进行约谈", nil},
		{"该加油站油气回收装置未正常运行", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, n := range findEnterprises(tt.in) {
			got = append(got, n.name)
			if tt.in[n.start:n.end] != n.name {
				t.Errorf("findEnterprises(%q): %q at %d:%d is %q", tt.in, n.name, n.start, n.end, tt.in[n.start:n.end])
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("findEnterprises(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
