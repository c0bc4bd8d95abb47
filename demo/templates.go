package demo

// A kind is one sort of environmental problem the county really has, with
// the words its ledgers use for it. Descriptions are built from texts by
// filling the slots:
//
//	{town} township   {village} village    {ent} enterprise (the subject)
//	{river} river     {road} road or street
//	{n} a few (2–9)   {head} head of livestock   {dist} metres
//	{area} square metres   {pct} per cent done
type kind struct {
	detail   string   // type detail as ledgers write it: 扬尘, 油烟 …
	weight   int      // relative frequency
	types    []string // canonical pollution types, canonical order
	industry []string // industries; the first is the usual one
	leader   int      // index into leaders: the vice county head in charge of the field
	depts    []string // departments that lead when a township does not
	townLead int      // per cent of problems a township leads
	coops    []string // departments that cooperate
	longTerm bool     // rectification usually takes years (长期坚持 more often)

	suffixes []string // enterprise name endings; none: problems have no subject
	entShare int      // per cent of problems with an enterprise as subject
	withEnt  []string // texts naming {ent}
	plain    []string // texts without a subject

	measures []string
	targets  []string
	progress []string
	closure  []string
}

// leaders are the county leaders in charge (责任领导), by field.
var leaders = []string{
	"副县长王志刚",      // 0 城乡建设、城市管理
	"副县长李晓红",      // 1 农业农村
	"副县长张建华",      // 2 工业
	"副县长赵永强",      // 3 自然资源、水务
	"县委常委、副县长刘海军", // 4 生态环境（常务）
	"副县长马文静",      // 5 林业和草原
}

var kinds = []kind{
	{
		detail: "扬尘", weight: 14, types: []string{"大气"}, industry: []string{"城市管理", "工业"}, leader: 0,
		depts: []string{"县住房和城乡建设局", "县住房和城乡建设局", "县城市管理综合执法局", "县交通运输局"}, townLead: 40,
		coops:    []string{"县生态环境局", "县城市管理综合执法局", "县交通运输局", "县公安局"},
		suffixes: []string{"房地产开发有限公司", "建筑工程有限公司", "建设工程有限公司", "市政工程有限公司"}, entShare: 60,
		withEnt: []string{
			"{ent}承建的{town}{village}安置小区项目施工工地裸露土方未覆盖，出入口未设置车辆冲洗设施，施工扬尘污染周边居民。",
			"{town}{road}沿线{ent}施工工地围挡不全，渣土随意堆放，雾炮等抑尘设施未正常使用，扬尘污染严重。",
			"{ent}在{town}{village}的搅拌站物料露天堆放，未采取防风抑尘措施，扬尘影响周边村民。",
		},
		plain: []string{
			"{road}沿线渣土运输车辆未密闭运输，沿路抛洒滴漏，道路扬尘问题突出，群众反映强烈。",
			"{town}集镇{road}道路改造工程施工期间未采取洒水降尘措施，扬尘影响周边商户和学校。",
		},
		measures: []string{
			"责令施工单位立即停工整改，对裸露土方全部采用防尘网覆盖，出入口安装车辆冲洗设施，落实“六个百分之百”扬尘防治要求；住建部门每周开展一次巡查。",
			"对渣土运输车辆开展专项整治，未密闭车辆一律不得上路；增加道路洒水和机械化清扫频次，对抛洒滴漏行为依法处罚。",
		},
		targets: []string{"施工工地扬尘防治措施落实到位，周边群众无扬尘投诉。", "道路扬尘得到有效控制，落实“六个百分之百”要求。"},
		progress: []string{
			"已对{n}处裸露土方完成覆盖，车辆冲洗设施已安装并投入使用。",
			"已约谈施工单位负责人，责令停工整改{n}天，正在开展复查。",
			"已增加洒水车{n}台次，每日洒水降尘不少于4次。",
		},
		closure: []string{"经现场核查，工地围挡、覆盖、冲洗、洒水等扬尘防治措施已落实，未发现扬尘污染问题，申请销号。"},
	},
	{
		detail: "畜禽养殖粪污", weight: 12, types: []string{"水", "土壤"}, industry: []string{"畜禽养殖"}, leader: 1,
		depts: []string{"县农业农村局", "县农业农村局", "县生态环境局"}, townLead: 60,
		coops:    []string{"县生态环境局", "县农业农村局", "县水务局"},
		suffixes: []string{"养殖专业合作社", "生猪养殖场", "肉牛养殖场", "养殖有限公司", "蛋鸡养殖场"}, entShare: 85,
		withEnt: []string{
			"{town}{village}{ent}（存栏生猪约{head}头）粪污未经处理直接排入{river}支沟，周边臭味明显，群众多次反映。",
			"{ent}粪污贮存池防渗不到位、容量不足，雨季粪水溢流污染周边农田。",
			"{town}{village}{ent}未配套建设粪污处理设施，粪便露天堆放，距{river}仅约{dist}米。",
			"{ent}环保手续不全，养殖废水经暗管排入村道边沟。",
		},
		plain: []string{"{town}{village}散养户畜禽粪便沿河堆放，雨后随径流进入{river}。"},
		measures: []string{
			"责令养殖场立即停止直排，清理外溢粪污；按存栏规模配套建设防渗贮存池和干粪棚，粪污经发酵后还田利用；农业农村部门指导建立粪污资源化利用台账。",
			"对散养户粪污集中清运，在村外统一建设堆粪场；乡镇落实网格员日常巡查。",
		},
		targets: []string{"养殖粪污全部收集处理、资源化利用，无直排、溢流现象。"},
		progress: []string{
			"已清理外溢粪污约{n}0立方米，新建防渗贮存池1座正在施工。",
			"干粪棚主体完工，整改完成约{pct}%。",
			"已对养殖户开展约谈，签订粪污资源化利用承诺书。",
		},
		closure: []string{"贮存池和干粪棚已建成投用，粪污经堆沤发酵后还田，现场无粪水外排，申请销号。"},
	},
	{
		detail: "砂石料场", weight: 7, types: []string{"大气", "生态"}, industry: []string{"矿山", "工业"}, leader: 3,
		depts: []string{"县自然资源局", "县生态环境局"}, townLead: 40,
		coops:    []string{"县水务局", "县生态环境局", "县市场监督管理局", "县公安局", "县林业和草原局"},
		suffixes: []string{"砂石料场", "砂石料有限公司", "建材有限公司"}, entShare: 100,
		withEnt: []string{
			"{town}{village}{ent}未办理环评手续即投入生产，破碎、筛分工序未封闭，粉尘无组织排放严重。",
			"{ent}料堆未苫盖，厂区道路未硬化，运输车辆带泥上路，扬尘污染周边村庄。",
			"{town}{village}{ent}占用林地和耕地堆放砂石料约{area}平方米，破坏地表植被。",
		},
		measures: []string{
			"依法责令停产整治，补办环评等手续前不得生产；破碎筛分车间全封闭，配套建设布袋除尘和喷淋设施；厂区道路硬化，料堆全部苫盖。",
			"依法拆除违规设施，清运占地堆放的砂石料，对损毁林地、耕地进行复垦复绿。",
		},
		targets: []string{"环保手续完备，粉尘污染得到有效治理。", "违法占地全部清退，植被恢复。"},
		progress: []string{
			"企业已停产，封闭车间钢结构搭建完成约{pct}%。",
			"已清运砂石料约{n}00立方米，复垦方案已编制完成。",
		},
		closure: []string{"车间已全封闭，除尘喷淋设施运行正常，占地已复垦，经联合验收符合要求，申请销号。"},
	},
	{
		detail: "河道采砂", weight: 5, types: []string{"水", "生态"}, industry: []string{"矿山", "其他"}, leader: 3,
		depts: []string{"县水务局", "县水务局", "县自然资源局"}, townLead: 40,
		coops:    []string{"县公安局", "县自然资源局", "县交通运输局"},
		suffixes: []string{"砂石料场", "建材有限公司"}, entShare: 30,
		withEnt: []string{"{ent}超范围在{river}{village}段采砂，采砂区域未按规定修复。"},
		plain: []string{
			"{river}{town}{village}段存在非法采砂行为，河床被挖深，岸坡裸露，影响行洪安全。",
			"{river}{village}段采砂后砂坑未回填、弃料沿岸堆放，河道生态遭到破坏。",
		},
		measures: []string{"水务部门会同公安机关开展河道采砂专项整治，依法查处非法采砂行为，没收采砂机具；对采砂坑进行回填平整，恢复河道原貌。"},
		targets:  []string{"非法采砂行为全部取缔，河道岸坡修复，行洪通畅。"},
		progress: []string{
			"已拆除采砂设备{n}套，回填砂坑约{n}00立方米。",
			"已立案查处{n}起，移送公安机关1起。",
		},
		closure: []string{"采砂设备已全部拆除，砂坑回填平整，岸坡完成修复，河长办复核通过，申请销号。"},
	},
	{
		detail: "垃圾填埋场渗滤液", weight: 3, types: []string{"水", "土壤", "固废"}, industry: []string{"城市管理"}, leader: 0,
		depts: []string{"县住房和城乡建设局", "县城市管理综合执法局"}, townLead: 15,
		coops: []string{"县生态环境局", "县水务局"},
		plain: []string{
			"县生活垃圾填埋场渗滤液调节池防渗膜破损，渗滤液外溢，污染周边土壤和地下水。",
			"{town}生活垃圾填埋场渗滤液处理设施长期未正常运行，渗滤液超负荷存放，存在溢流风险。",
			"{town}{village}垃圾中转站渗滤液未收集，直接排入路边沟渠。",
		},
		measures: []string{"立即对调节池防渗膜进行修复，外溢渗滤液全部收集处理；委托第三方运营渗滤液处理设施，确保稳定运行、达标排放；开展周边土壤和地下水监测。"},
		targets:  []string{"渗滤液全部收集、达标处理，周边土壤和地下水环境质量不恶化。"},
		progress: []string{
			"调节池防渗膜修复完成，渗滤液处理设施已恢复运行，日处理量{n}0吨。",
			"已委托第三方开展周边土壤和地下水监测，监测报告待出具。",
		},
		closure: []string{"渗滤液处理设施稳定运行，出水监测达标，周边土壤和地下水监测未见异常，申请销号。"},
	},
	{
		detail: "油烟", weight: 8, types: []string{"大气"}, industry: []string{"城市管理"}, leader: 0,
		depts: []string{"县城市管理综合执法局", "县城市管理综合执法局", "县市场监督管理局"}, townLead: 30,
		coops:    []string{"县市场监督管理局", "县生态环境局"},
		suffixes: []string{"饭店", "烧烤店", "火锅店", "餐饮有限公司", "农家乐"}, entShare: 70,
		withEnt: []string{
			"{town}{road}{ent}餐饮油烟净化设施未正常使用，油烟直排，影响楼上住户。",
			"{ent}在店外露天烧烤，油烟无组织排放，周边居民反映强烈。",
		},
		plain:    []string{"{road}沿线{n}家餐饮店未安装油烟净化设施，餐饮油烟直排扰民。"},
		measures: []string{"责令餐饮单位安装油烟净化设施并定期清洗，油烟经专用烟道高空排放；取缔露天烧烤，纳入城管日常巡查。"},
		targets:  []string{"餐饮油烟达标排放，群众无投诉。"},
		progress: []string{
			"已安装油烟净化设施{n}台，签订定期清洗承诺书。",
			"已取缔露天烧烤摊点{n}处。",
		},
		closure: []string{"油烟净化设施已安装并正常使用，专用烟道已改造，回访群众满意，申请销号。"},
	},
	{
		detail: "砖瓦窑", weight: 4, types: []string{"大气"}, industry: []string{"工业"}, leader: 2,
		depts: []string{"县工业和信息化局", "县生态环境局"}, townLead: 40,
		coops:    []string{"县生态环境局", "县自然资源局", "县市场监督管理局"},
		suffixes: []string{"机制砖厂", "砖瓦厂", "新型建材有限公司"}, entShare: 100,
		withEnt: []string{
			"{town}{village}{ent}隧道窑脱硫设施不正常运行，烟气二氧化硫超标排放。",
			"{ent}原料土露天堆放，取土场未恢复，破碎工段粉尘无组织排放。",
			"{ent}环保手续不全，在线监测设备数据异常。",
		},
		measures: []string{"依法责令停产整治，修复脱硫设施并委托第三方运维，安装在线监测设备并与生态环境部门联网；原料全部入棚存放。"},
		targets:  []string{"烟气稳定达标排放，原料堆场全封闭。"},
		progress: []string{"脱硫塔已完成检修，正在调试。", "原料棚建设完成约{pct}%。"},
		closure:  []string{"脱硫设施运行正常，在线监测数据连续30天达标，原料已全部入棚，申请销号。"},
	},
	{
		detail: "洗煤厂粉尘", weight: 3, types: []string{"水", "大气"}, industry: []string{"工业"}, leader: 2,
		depts: []string{"县工业和信息化局", "县生态环境局"}, townLead: 30,
		coops:    []string{"县生态环境局", "县水务局", "县交通运输局"},
		suffixes: []string{"洗煤厂", "煤业有限公司", "煤炭经销有限公司"}, entShare: 100,
		withEnt: []string{
			"{town}{village}{ent}煤堆未苫盖，储煤场未建设防风抑尘网，运输道路粉尘污染严重。",
			"{ent}煤泥水未经处理外排，污染{river}河道。",
			"{ent}装卸煤过程未采取抑尘措施，周边农作物表面积尘明显。",
		},
		measures: []string{"储煤场建设全封闭煤棚或防风抑尘网，煤堆全部苫盖；煤泥水闭路循环不外排；运输车辆密闭并冲洗后出厂。"},
		targets:  []string{"煤尘污染有效治理，煤泥水零排放。"},
		progress: []string{"全封闭煤棚已开工建设，完成约{pct}%。", "煤泥水沉淀池已建成，循环利用系统正在调试。"},
		closure:  []string{"封闭煤棚建成投用，煤泥水闭路循环，现场无外排，申请销号。"},
	},
	{
		detail: "危险废物", weight: 5, types: []string{"土壤", "固废"}, industry: []string{"工业", "其他"}, leader: 4,
		depts: []string{"县生态环境局"}, townLead: 20,
		coops:    []string{"县工业和信息化局", "县交通运输局", "县卫生健康局"},
		suffixes: []string{"汽车修理厂", "机械加工有限公司", "化工有限公司", "加油站"}, entShare: 80,
		withEnt: []string{
			"{town}{ent}危险废物贮存间未按规范设置标识和防渗，废机油、废油桶露天堆放。",
			"{ent}未建立危险废物管理台账，废矿物油交由无资质个人处置。",
		},
		plain:    []string{"{town}卫生院医疗废物暂存间未落实“双人双锁”，医疗废物与生活垃圾混放。"},
		measures: []string{"规范建设危险废物贮存间，做到防风、防雨、防晒、防渗漏，设置识别标志；建立管理台账，与有资质单位签订处置合同，依法执行转移联单；对违法行为立案处罚。"},
		targets:  []string{"危险废物规范贮存、依法处置，台账完整。"},
		progress: []string{"已与有资质单位签订处置合同，转移危险废物{n}吨。", "贮存间改造完成约{pct}%，管理台账已建立。"},
		closure:  []string{"贮存间已按规范改造，台账和转移联单齐全，经生态环境部门复查合格，申请销号。"},
	},
	{
		detail: "黑臭水体", weight: 5, types: []string{"水"}, industry: []string{"农村环境"}, leader: 1,
		depts: []string{"县水务局", "县生态环境局", "县住房和城乡建设局"}, townLead: 60,
		coops: []string{"县水务局", "县生态环境局", "县农业农村局"},
		plain: []string{
			"{town}{village}村内坑塘生活污水汇入，形成黑臭水体，蚊蝇滋生，群众反映强烈。",
			"{river}{village}段沟渠淤积，生活污水和垃圾混入，水体发黑发臭。",
		},
		measures: []string{"截断入塘污水，对坑塘进行清淤疏浚，建设人工湿地；建立河湖长巡查机制，防止黑臭反弹。"},
		targets:  []string{"黑臭水体消除，水质达到不黑不臭，长效管护机制建立。"},
		progress: []string{"已完成清淤约{n}00立方米，截污管网铺设{n}00米。", "人工湿地建设完成约{pct}%。"},
		closure:  []string{"截污清淤完成，人工湿地投入运行，水质监测达到不黑不臭标准，申请销号。"},
	},
	{
		detail: "秸秆焚烧", weight: 6, types: []string{"大气"}, industry: []string{"农村环境"}, leader: 1, longTerm: true,
		depts: []string{"县农业农村局"}, townLead: 80,
		coops: []string{"县农业农村局", "县生态环境局", "县公安局"},
		plain: []string{
			"{town}{village}周边农田存在露天焚烧秸秆现象，烟雾影响周边群众和道路通行。",
			"{town}{village}群众在田间地头焚烧果树枝条和秸秆，禁烧宣传不到位。",
		},
		measures: []string{"落实秸秆禁烧网格化监管，乡镇干部包村包片巡查；推广秸秆还田、饲料化利用；对焚烧行为依法查处。"},
		targets:  []string{"禁烧区域无露天焚烧现象，秸秆综合利用率稳步提高。"},
		progress: []string{"已组织禁烧巡查{n}0余人次，发放宣传资料{n}00余份。", "已配置秸秆粉碎还田机{n}台。"},
		closure:  []string{"网格化巡查机制已建立并常态化运行，近期未发现焚烧现象，申请销号。"},
	},
	{
		detail: "矿山生态修复", weight: 4, types: []string{"生态"}, industry: []string{"矿山"}, leader: 3, longTerm: true,
		depts: []string{"县自然资源局", "县林业和草原局"}, townLead: 30,
		coops:    []string{"县林业和草原局", "县生态环境局", "县水务局"},
		suffixes: []string{"石料厂", "矿业有限公司"}, entShare: 40,
		withEnt:  []string{"{ent}采矿权到期后未履行矿山地质环境恢复治理义务，渣石乱堆乱放。"},
		plain:    []string{"{town}{village}废弃采石场未开展生态修复，山体裸露面积约{area}平方米，存在地质灾害隐患。"},
		measures: []string{"编制矿山生态修复方案，对裸露山体进行削坡整形、覆土绿化；落实地质灾害监测；督促矿山企业履行恢复治理义务，逾期不履行的依法处理。"},
		targets:  []string{"完成生态修复，植被恢复，消除地质灾害隐患。"},
		progress: []string{"修复方案已通过评审，削坡整形完成约{pct}%。", "已覆土绿化{n}0亩，栽植苗木{n}000株。"},
		closure:  []string{"削坡整形和覆土绿化已完成，苗木成活率符合要求，经自然资源部门验收合格，申请销号。"},
	},
	{
		detail: "污水直排", weight: 10, types: []string{"水"}, industry: []string{"城市管理", "农村环境", "工业"}, leader: 0,
		depts: []string{"县住房和城乡建设局", "县生态环境局", "县水务局"}, townLead: 50,
		coops:    []string{"县生态环境局", "县水务局", "县住房和城乡建设局"},
		suffixes: []string{"食品有限公司", "屠宰场", "洗车场", "酒店"}, entShare: 40,
		withEnt: []string{
			"{ent}生产废水未经处理通过暗管直排{river}支沟。",
			"{town}{ent}洗车废水未经沉淀直接排入雨水管网。",
			"{ent}环保设施长期停运，废水超标排放。",
		},
		plain: []string{
			"{town}集镇生活污水收集管网不完善，部分生活污水直排{river}。",
			"{town}污水处理站运行不正常，出水水质超标。",
		},
		measures: []string{"完善集镇污水收集管网，实施雨污分流改造；污水处理站委托专业公司运维，出水稳定达标；对违法排污企业立案处罚并责令停产整治。"},
		targets:  []string{"生活污水应收尽收，出水稳定达到一级A标准。", "企业废水处理达标，无直排现象。"},
		progress: []string{"已新建污水管网{n}00米，雨污分流改造完成约{pct}%。", "已对企业立案处罚，排污暗管已封堵。"},
		closure:  []string{"管网已完善，污水处理设施稳定运行，出水监测达标，申请销号。"},
	},
	{
		detail: "噪声扰民", weight: 7, types: []string{"噪声"}, industry: []string{"城市管理", "工业"}, leader: 0,
		depts: []string{"县城市管理综合执法局", "县公安局", "县生态环境局"}, townLead: 30,
		coops:    []string{"县公安局", "县住房和城乡建设局", "县市场监督管理局"},
		suffixes: []string{"石材加工厂", "木材加工厂", "KTV", "商砼有限公司"}, entShare: 70,
		withEnt: []string{
			"{town}{ent}夜间生产噪声扰民，周边居民无法正常休息。",
			"{road}沿线{ent}经营噪声扰民，群众多次举报。",
		},
		plain:    []string{"{town}{road}建筑工地夜间违规施工，噪声扰民。"},
		measures: []string{"责令企业调整生产时间，禁止夜间生产；高噪声设备加装隔声罩、减振基础；对夜间违规施工依法处罚。"},
		targets:  []string{"厂界噪声达标，群众无投诉。"},
		progress: []string{"已为{n}台高噪声设备加装隔声罩，夜间已停止生产。", "已对违规施工单位处罚，签订承诺书。"},
		closure:  []string{"经监测厂界噪声达标，回访周边群众无意见，申请销号。"},
	},
	{
		detail: "生活垃圾", weight: 6, types: []string{"固废"}, industry: []string{"农村环境"}, leader: 1,
		depts: []string{"县农业农村局", "县住房和城乡建设局"}, townLead: 80,
		coops: []string{"县农业农村局", "县住房和城乡建设局", "县城市管理综合执法局"},
		plain: []string{
			"{town}{village}河道沿岸生活垃圾乱堆乱放，存在垃圾随意倾倒现象。",
			"{town}{village}垃圾收集点清运不及时，垃圾长期堆积，臭味扰民。",
		},
		measures: []string{"清理河道沿岸积存垃圾，完善村级垃圾收集设施，落实“户分类、村收集、镇转运、县处理”机制，纳入村规民约。"},
		targets:  []string{"积存垃圾全部清理，垃圾日产日清。"},
		progress: []string{"已清理积存垃圾约{n}0吨，新增垃圾收集箱{n}个。"},
		closure:  []string{"积存垃圾已清理完毕，收集转运机制运行正常，申请销号。"},
	},
	{
		detail: "工业固废", weight: 3, types: []string{"固废"}, industry: []string{"工业"}, leader: 2,
		depts: []string{"县生态环境局", "县工业和信息化局"}, townLead: 40,
		coops:    []string{"县自然资源局", "县公安局", "县水务局"},
		suffixes: []string{"铸造有限公司", "建材有限公司", "再生资源回收有限公司"}, entShare: 60,
		withEnt:  []string{"{ent}将炉渣等一般工业固体废物倾倒在{town}{village}荒沟内，约{n}00吨。"},
		plain:    []string{"{town}{village}沟道内有人非法倾倒建筑垃圾和工业固废，侵占河道。"},
		measures: []string{"责令倾倒单位限期清运并规范处置固废；对倾倒点进行平整复绿；公安机关对非法倾倒行为依法查处。"},
		targets:  []string{"倾倒固废全部清运，场地恢复原貌。"},
		progress: []string{"已清运固废约{n}00吨，剩余部分正在清运。"},
		closure:  []string{"固废已全部清运至合规场所，倾倒点已平整复绿，申请销号。"},
	},
	{
		detail: "自然保护区", weight: 2, types: []string{"生态"}, industry: []string{"自然保护区"}, leader: 5, longTerm: true,
		depts: []string{"县林业和草原局", "县自然资源局"}, townLead: 30,
		coops: []string{"县自然资源局", "县生态环境局", "县农业农村局"},
		plain: []string{
			"{town}境内自然保护区实验区内存在违规建设的养殖棚舍和农家乐{n}处。",
			"自然保护区缓冲区内{town}{village}有{n}处采石坑未恢复植被。",
		},
		measures: []string{"依法拆除保护区内违规建筑，对拆除区域开展植被恢复；完善保护区界桩和标识牌，加强巡护。"},
		targets:  []string{"违规建筑全部拆除，植被恢复，保护区管理规范。"},
		progress: []string{"已拆除违规建筑{n}处，面积约{area}平方米。"},
		closure:  []string{"违规建筑已全部拆除，植被恢复完成，经林草部门核查合格，申请销号。"},
	},
}

var villages = []string{
	"上寨村", "河湾村", "杨家庄", "下寨村", "柳树湾村", "石门村", "马家坪村", "王家沟村", "李家堡村", "刘家河村",
	"峡口村", "新庄村", "赵家湾村", "陈家庄", "沟门村", "窑湾村", "庙坪村", "东关村", "西坡村", "南山村",
	"北川村", "白杨村", "红崖村", "黄土坡村", "槐树村", "梨园村", "桃园村", "柏林村", "旗杆村", "峪口村",
	"三合村", "五里铺村", "大庄村", "小庄村", "前川村", "后川村", "中滩村", "河口村", "坪道村", "郭家川村",
	"张家沟村", "苏家湾村", "何家山村", "姚家庄", "汪家坪村", "袁家河村", "温泉村", "麻池村", "阳坡村", "金山村",
	"银湾村", "松林村", "杏树村", "枣园村", "双桥村", "龙泉村", "水磨村", "贾家寨村", "韩家湾村", "巩家庄",
}

var rivers = []string{"牛头河", "樊河", "后川河", "汤峪河", "白驼河", "南河", "清水河", "金集河"}

var roads = []string{"轩辕大道", "永清路", "上邽路", "东环路", "西关路", "温泉路", "S306线", "县道X468线", "红堡街", "南大街"}

var tradeNames = []string{
	"宏达", "鑫源", "瑞丰", "华宇", "永盛", "金鑫", "恒泰", "天成", "兴旺", "富民",
	"绿源", "众诚", "顺达", "福润", "嘉禾", "丰泽", "聚鑫", "盛世", "康达", "广源",
	"新兴", "万通", "汇丰", "博远", "金泰", "昌盛", "龙腾", "祥和", "亿丰", "德润",
}

var surnames = []string{
	"王", "李", "张", "刘", "杨", "赵", "陈", "马", "周", "吴", "郭", "何", "牛", "段", "雷", "黄",
	"汪", "蒲", "巩", "裴", "安", "苟", "孙", "胡", "高", "宋", "董", "贾", "魏", "苏", "梁", "韩",
}

var givenNames = []string{
	"建国", "文博", "海燕", "立军", "春梅", "永平", "晓东", "国庆", "玉兰", "志强", "红霞", "小军",
	"建军", "丽娟", "伟", "芳", "军", "静", "斌", "亮", "鹏飞", "彦军", "宏伟", "淑珍", "卫东", "明",
	"继红", "天明", "建平", "振华", "小燕", "海军", "亚楠", "雪梅", "金龙", "国栋",
}

// Source weights, in the order of ducha.ProblemSources: 自查发现 重点问题
// 信访交办 督察反馈 其他.
var sourceWeights = []int{35, 10, 35, 15, 5}

// Lead-ins a description may start with, by source.
var sourceLeadIns = map[string][]string{
	"自查发现": {"", "", "自查发现，"},
	"重点问题": {"", "督察组重点关注：", ""},
	"信访交办": {"群众反映，", "群众举报", "信访件反映，"},
	"督察反馈": {"督察组现场检查发现，", "督察反馈指出，", ""},
	"其他":   {"", "媒体报道，"},
}

var returnReasons = []string{
	"整改佐证材料不全，缺少整改前后对比照片，请补充后重新申请。",
	"现场核查发现问题仍未彻底解决，请继续整改。",
	"监测报告未加盖检测机构公章，请补充完善。",
	"整改措施落实不到位，群众仍有反映，退回继续整改。",
}

var extensionReasons = []string{
	"受冬季低温影响无法施工，申请延期。",
	"项目资金尚未全部到位，招标程序正在进行，申请延期。",
	"需待汛期结束后方可开展河道施工，申请延期。",
	"设备采购周期较长，申请延期。",
}

// approvalReasons and refusalReasons are the coordinator's opinions on an
// extension request.
var approvalReasons = []string{
	"理由属实，同意延期，请按新时限完成整改。",
	"经核实确受客观因素影响，同意延期。",
	"",
}

var refusalReasons = []string{
	"延期理由不充分，请按原时限完成整改。",
	"该问题群众反映强烈，不同意延期，请加快推进。",
	"整改工作可通过增加人员设备加快完成，不同意延期。",
}

// decisionReason is an opinion for an extension decision.
func decisionReason(g *generator, approve bool) string {
	if approve {
		return pick(g, approvalReasons)
	}
	return pick(g, refusalReasons)
}

var verifyTexts = []string{
	"经现场核查，整改到位，同意销号。",
	"经县级验收组核查，整改措施落实到位，同意销号。",
	"资料齐全，现场复核无反弹，同意销号。",
}

var reopenReasons = []string{
	"回访发现问题反弹，重新打开继续整改。",
	"群众再次举报同一问题，经核实问题反弹。",
}
