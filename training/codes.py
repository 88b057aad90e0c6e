"""National codes for what a roster holds in words, as a training archive's import expects them:
政治面貌 per GB/T 4762-1984, 民族 per GB/T 3304-1991, 性别 per GB/T 2261.1-2003. Pure look-ups; a
word not recognised gives "" (the words are always exported beside their codes)."""

# GB/T 4762-1984 政治面貌代码, with the short forms rosters use.
POLITICAL_STATUS = {
    "01": ("中国共产党党员", "中共党员", "党员", "共产党员"),
    "02": ("中国共产党预备党员", "中共预备党员", "预备党员"),
    "03": ("中国共产主义青年团团员", "共青团员", "团员"),
    "04": ("中国国民党革命委员会会员", "民革党员", "民革会员", "民革"),
    "05": ("中国民主同盟盟员", "民盟盟员", "民盟"),
    "06": ("中国民主建国会会员", "民建会员", "民建"),
    "07": ("中国民主促进会会员", "民进会员", "民进"),
    "08": ("中国农工民主党党员", "农工党党员", "农工党"),
    "09": ("中国致公党党员", "致公党党员", "致公党"),
    "10": ("九三学社社员", "九三学社"),
    "11": ("台湾民主自治同盟盟员", "台盟盟员", "台盟"),
    "12": ("无党派民主人士", "无党派人士", "无党派"),
    "13": ("群众",),
}

# GB/T 3304-1991 中国各民族名称的罗马字母拼写法和代码 (numeric codes, in the standard's order).
ETHNICITIES = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 "
    "黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 "
    "撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 "
    "京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()

# GB/T 2261.1-2003 人的性别代码.
GENDER = {"M": "1", "F": "2"}

_POLITICAL = {word: code for code, words in POLITICAL_STATUS.items() for word in words}
_ETHNIC = {name: f"{index:02d}" for index, name in enumerate(ETHNICITIES, start=1)}


def political_status_code(words: str) -> str:
    """'01' for 中共党员 (or 中国共产党党员, 党员); '' for a word the standard does not name."""
    return _POLITICAL.get(words.strip().replace(" ", ""), "")


def ethnicity_code(words: str) -> str:
    """'01' for 汉族 (or 汉); '' for a word the standard does not name."""
    name = words.strip()
    return _ETHNIC.get(name) or _ETHNIC.get(f"{name}族", "")


def gender_code(gender: str) -> str:
    """'1' for 男 (M), '2' for 女 (F), '' when not recorded."""
    return GENDER.get(gender, "")
