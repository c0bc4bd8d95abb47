package demo

import "ducha"

// countyUnits is the county's unit list as /work/shared/samples/units.csv
// has it: 18 townships, then 15 departments. The list has no member column,
// so Member stays false and a later import of the same file changes nothing.
var countyUnits = []ducha.Unit{
	{Name: "永清镇", Kind: ducha.UnitTownship, DivisionCode: "620521100000", Head: "牛文博", Liaison: "刘立军", Phone: "19313867508"},
	{Name: "红堡镇", Kind: ducha.UnitTownship, DivisionCode: "620521101000", Head: "黄玉兰", Liaison: "黄建国", Phone: "17835283281"},
	{Name: "白驼镇", Kind: ducha.UnitTownship, DivisionCode: "620521102000", Head: "杨海燕", Liaison: "李永平", Phone: "17875996462"},
	{Name: "金集镇", Kind: ducha.UnitTownship, DivisionCode: "620521103000", Head: "雷海燕", Liaison: "吴文博", Phone: "17003961511"},
	{Name: "秦亭镇", Kind: ducha.UnitTownship, DivisionCode: "620521104000", Head: "杨国庆", Liaison: "李春梅", Phone: "15909385951"},
	{Name: "山门镇", Kind: ducha.UnitTownship, DivisionCode: "620521105000", Head: "刘春梅", Liaison: "陈红霞", Phone: "16986686085"},
	{Name: "白沙镇", Kind: ducha.UnitTownship, DivisionCode: "620521106000", Head: "黄国庆", Liaison: "黄晓东", Phone: "18822942336"},
	{Name: "王河镇", Kind: ducha.UnitTownship, DivisionCode: "620521107000", Head: "杨红霞", Liaison: "周永平", Phone: "13415371265"},
	{Name: "郭川镇", Kind: ducha.UnitTownship, DivisionCode: "620521108000", Head: "王国庆", Liaison: "周文博", Phone: "19960217178"},
	{Name: "黄门镇", Kind: ducha.UnitTownship, DivisionCode: "620521109000", Head: "雷文博", Liaison: "周春梅", Phone: "18134800927"},
	{Name: "松树镇", Kind: ducha.UnitTownship, DivisionCode: "620521110000", Head: "段海燕", Liaison: "周国庆", Phone: "19807771512"},
	{Name: "远门镇", Kind: ducha.UnitTownship, DivisionCode: "620521111000", Head: "吴春梅", Liaison: "刘晓东", Phone: "15368224182"},
	{Name: "土门镇", Kind: ducha.UnitTownship, DivisionCode: "620521112000", Head: "雷国庆", Liaison: "陈小军", Phone: "19863016628"},
	{Name: "草川铺镇", Kind: ducha.UnitTownship, DivisionCode: "620521113000", Head: "陈玉兰", Liaison: "段永平", Phone: "15092058182"},
	{Name: "新城乡", Kind: ducha.UnitTownship, DivisionCode: "620521114000", Head: "段志强", Liaison: "雷永平", Phone: "16245481675"},
	{Name: "丰望乡", Kind: ducha.UnitTownship, DivisionCode: "620521115000", Head: "赵立军", Liaison: "马志强", Phone: "16364066195"},
	{Name: "贾川乡", Kind: ducha.UnitTownship, DivisionCode: "620521116000", Head: "王永平", Liaison: "李春梅", Phone: "18780434798"},
	{Name: "陇东乡", Kind: ducha.UnitTownship, DivisionCode: "620521117000", Head: "刘文博", Liaison: "王晓东", Phone: "19388975643"},
	{Name: "县生态环境局", Kind: ducha.UnitDepartment, Head: "杨立军", Liaison: "马文博", Phone: "18285028573"},
	{Name: "县自然资源局", Kind: ducha.UnitDepartment, Head: "陈玉兰", Liaison: "刘春梅", Phone: "19953461776"},
	{Name: "县住房和城乡建设局", Kind: ducha.UnitDepartment, Head: "杨红霞", Liaison: "赵文博", Phone: "19466193780"},
	{Name: "县农业农村局", Kind: ducha.UnitDepartment, Head: "黄志强", Liaison: "杨国庆", Phone: "18992150325"},
	{Name: "县水务局", Kind: ducha.UnitDepartment, Head: "段永平", Liaison: "黄立军", Phone: "14650031993"},
	{Name: "县林业和草原局", Kind: ducha.UnitDepartment, Head: "周红霞", Liaison: "汪永平", Phone: "18889416444"},
	{Name: "县工业和信息化局", Kind: ducha.UnitDepartment, Head: "刘玉兰", Liaison: "赵小军", Phone: "15828404123"},
	{Name: "县交通运输局", Kind: ducha.UnitDepartment, Head: "赵建国", Liaison: "黄海燕", Phone: "13799361989"},
	{Name: "县城市管理综合执法局", Kind: ducha.UnitDepartment, Head: "牛红霞", Liaison: "汪志强", Phone: "15206418208"},
	{Name: "县卫生健康局", Kind: ducha.UnitDepartment, Head: "刘海燕", Liaison: "王文博", Phone: "16834010249"},
	{Name: "县市场监督管理局", Kind: ducha.UnitDepartment, Head: "牛立军", Liaison: "杨小军", Phone: "17283236920"},
	{Name: "县公安局", Kind: ducha.UnitDepartment, Head: "段红霞", Liaison: "张文博", Phone: "17793427445"},
	{Name: "县纪委监委", Kind: ducha.UnitDepartment, Head: "黄永平", Liaison: "汪玉兰", Phone: "15779325957"},
	{Name: "县委办公室", Kind: ducha.UnitDepartment, Head: "李玉兰", Liaison: "陈国庆", Phone: "14772618048"},
	{Name: "县政府办公室", Kind: ducha.UnitDepartment, Head: "段红霞", Liaison: "马玉兰", Phone: "15813625193"},
}

// townships are the first 18 units: every problem's area is one of them.
var townships = func() []*ducha.Unit {
	var out []*ducha.Unit
	for i := range countyUnits {
		if countyUnits[i].Kind == ducha.UnitTownship {
			out = append(out, &countyUnits[i])
		}
	}
	return out
}()

// freshUnits returns copies of the county units for ImportUnits, which
// writes ids and versions into what it is given.
func freshUnits() []*ducha.Unit {
	out := make([]*ducha.Unit, len(countyUnits))
	for i := range countyUnits {
		u := countyUnits[i]
		out[i] = &u
	}
	return out
}
