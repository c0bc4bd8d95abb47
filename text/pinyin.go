package text

import "strings"

// syllableList holds the Mandarin pinyin syllables without tone marks, ü
// written as v. It was taken from the readings in go-pinyin's dictionary,
// leaving out the interjections m, n, ng, hm, hng and ê.
const syllableList = `a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie
bin bing bo bong bu ca cai can cang cao ce cei cen ceng cha chai chan chang chao che chen
cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun
cuo da dai dan dang dao de dei den deng di dia dian diao die din ding diu dong dou du duan
dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge
gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng
hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju
juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo
la lai lan lang lao le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu
luan lue lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo
mou mu na nai nan nang nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou
nu nuan nue nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping
po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren
reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang
shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su
suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui
tun tuo wa wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu
xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang
zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua
zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo`

// syllables is syllableList as a set.
var syllables = func() map[string]bool {
	m := make(map[string]bool, 450)
	for _, s := range strings.Fields(syllableList) {
		m[s] = true
	}
	return m
}()

// maxSyllable is the length of the longest syllable (zhuang).
const maxSyllable = 6

// toneless maps a tone-marked vowel or ü to its plain letter (ü → v).
var toneless = map[rune]byte{
	'ā': 'a', 'á': 'a', 'ǎ': 'a', 'à': 'a',
	'ē': 'e', 'é': 'e', 'ě': 'e', 'è': 'e',
	'ī': 'i', 'í': 'i', 'ǐ': 'i', 'ì': 'i',
	'ō': 'o', 'ó': 'o', 'ǒ': 'o', 'ò': 'o',
	'ū': 'u', 'ú': 'u', 'ǔ': 'u', 'ù': 'u',
	'ǖ': 'v', 'ǘ': 'v', 'ǚ': 'v', 'ǜ': 'v', 'ü': 'v',
}

// isPinyinAnnotation reports whether content, the text between a pair of
// parentheses, is an inline pinyin annotation for the han Han characters
// before it: lower-case Latin letters (tone marks and ü allowed) and
// spaces, where every space-separated word splits into valid pinyin
// syllables and there are no more syllables than Han characters in the run
// just before the parenthesis. The count limit keeps longer Latin notes
// from being taken for pinyin, but short lower-case English words that
// happen to spell pinyin syllables, such as 公司(china), are still stripped.
func isPinyinAnnotation(content []rune, han int) bool {
	word := make([]byte, 0, len(content))
	total := 0
	flush := func() bool {
		if len(word) == 0 {
			return true
		}
		n := countSyllables(string(word))
		if n == 0 {
			return false
		}
		total += n
		word = word[:0]
		return true
	}
	for _, r := range content {
		switch {
		case r >= 'a' && r <= 'z':
			word = append(word, byte(r))
		case r == ' ':
			if !flush() {
				return false
			}
		default:
			c, ok := toneless[r]
			if !ok {
				return false
			}
			word = append(word, c)
		}
	}
	if !flush() {
		return false
	}
	return total > 0 && total <= han
}

// countSyllables returns the least number of pinyin syllables that w splits
// into, or 0 if it does not split into syllables.
func countSyllables(w string) int {
	const none = 1 << 30
	best := make([]int, len(w)+1) // best[i]: fewest syllables for w[:i]
	for i := 1; i <= len(w); i++ {
		best[i] = none
		for l := 1; l <= maxSyllable && l <= i; l++ {
			if best[i-l] < none && syllables[w[i-l:i]] && best[i-l]+1 < best[i] {
				best[i] = best[i-l] + 1
			}
		}
	}
	if best[len(w)] == none {
		return 0
	}
	return best[len(w)]
}
