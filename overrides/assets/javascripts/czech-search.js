/* Czech search: the token rule applied to every query, snippets and marks (search-worker.js).
 * The token rule must stay identical to metodiky/search.py (its docstring describes the rule):
 * split at SEPARATOR (the worker passes it), trim, Roman ordinals as digits,
 * drop stop words, fold diacritics, join short forms, ordinal words as digits, strip one case
 * ending, join irregular stems. tests/test_search_tokens.py runs both on the same words, texts
 * and queries. */
(function (root) {
  "use strict";
  var SUFFIXES = ["atech", "etem", "atum", "ech", "ich", "eho", "emi", "emu", "ete", "eti", "iho",
    "imi", "imu", "ach", "ata", "aty", "ych", "ama", "ami", "ovi", "ymi", "ou", "em", "es",
    "im", "um", "at", "am", "os", "us", "ym", "mi", "a", "e", "i", "o", "u", "y"];
  var MIN_STEM = 3;
  // White space, and hyphens except one right after a lone letter (K-centrum): search.SEPARATOR.
  var SEPARATOR = "\\s+|(?<![\\s(„/][A-Za-z])(?<!^[A-Za-z])-+";
  var STEM_ALIASES = {
    det: "dit", lid: "clovek", clovec: "clovek", obc: "obec", prvn: "1", tret: "3"
  };
  var ORDINAL_WORDS = {};
  ["druha", "druhe", "druheho", "druhemu", "druhou", "druhych", "druhym", "druhymi"].forEach(
    function (w) { ORDINAL_WORDS[w] = "2"; });
  var ROMAN_ORDINALS = { i: "1", ii: "2", iii: "3", iv: "4" };
  var ROMAN_ORDINAL = /^(iv|i{1,3})\.[^\p{L}\p{N}]*$/u;
  var EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
  var STOP_WORDS = {};
  ("a aby ale ani ano asi az bez by byl byla byli bylo byt cem cim co coz da dal delat do i jaci" +
    " jak jaka jake jako jaky je jeho jej jeji jejich jen jeste ji jiz jsem jsme jsou jste k kam kde" +
    " kdo kdy kdyz ke koho kolik komu ktera ktere kteri ktery ma mam mate me mezi mi mit mohu mu" +
    " musim muze muzu my na nad nam nas ne nebo neni nez nic o od po pod pokud postupovat pri pro" +
    " proc proto s se si smim sve svych ta tak take taky tam te tedy ten tento teto tim to tohoto" +
    " tom tomto tu tuto ty u udelat uz v ve vice vsak z za ze").split(" ").forEach(function (w) {
    STOP_WORDS[w] = true;
  });
  var has = function (map, key) { return Object.prototype.hasOwnProperty.call(map, key); };

  function fold(word) {
    return word.normalize("NFD").replace(/\p{Mn}/gu, "").toLowerCase();
  }

  function trimWord(word) {
    var roman = ROMAN_ORDINAL.exec(word);
    return roman ? ROMAN_ORDINALS[roman[1]] : word.replace(EDGES, "");
  }

  function searchToken(word) {
    var folded = fold(word).replace(/-/g, "");
    if (has(ORDINAL_WORDS, folded)) { return ORDINAL_WORDS[folded]; }
    if (folded.length <= MIN_STEM) { return folded; }
    for (var i = 0; i < SUFFIXES.length; i++) {
      var suffix = SUFFIXES[i];
      if (folded.endsWith(suffix) && folded.length - suffix.length >= MIN_STEM) {
        folded = folded.slice(0, -suffix.length);
        break;
      }
    }
    if (folded.endsWith("ic")) { folded = folded.slice(0, -2) + "ik"; }  // uprchlíci – uprchlík
    return has(STEM_ALIASES, folded) ? STEM_ALIASES[folded] : folded;
  }

  function isStopWord(word) { return STOP_WORDS[fold(word)] === true; }

  function wordToken(word) {
    var trimmed = trimWord(word.toLowerCase());
    return !trimmed || isStopWord(trimmed) ? null : searchToken(trimmed);
  }

  // A short form typed apart ("K centrum"): a lone letter and the next word, joined.
  function joinedToken(previous, word) {
    var letter = trimWord(previous.toLowerCase());
    var rest = trimWord(word.toLowerCase());
    if (letter.length !== 1 || !/\p{L}/u.test(letter) || !rest || rest.indexOf("-") >= 0) {
      return null;
    }
    return searchToken(letter + rest);
  }

  function splitWords(text, separator) {
    return text.split(new RegExp(separator)).filter(function (w) { return w; });
  }

  // The same as search_tokens and query_tokens in metodiky/search.py (used by the parity test).
  function searchTokens(text, separator) {
    return splitWords(text, separator).map(wordToken).filter(function (t) { return t; });
  }

  function queryTokens(query, separator) {
    var words = splitWords(query, separator);
    var joined = words.slice(1).map(function (w, i) { return joinedToken(words[i], w); });
    return searchTokens(query, separator).concat(joined.filter(function (t) { return t; }));
  }

  /* ---- Snippets: the matched sentences, not whole blocks ------------------------------------
   * Material shows under each result the one or two blocks of the section that hold a match: a
   * long paragraph or a whole list, of which a phone shows the first lines – often not the match.
   * Keep the sentences that hold a match (at most two, long ones cut around the match), or the
   * section's first sentence when only its title matched. The text is Material's escaped HTML:
   * only <mark> is kept, other tags become sentence breaks or go. */
  var SNIPPET_SENTENCES = 2;
  var SNIPPET_WORDS_BEFORE = 12;
  var SNIPPET_WORDS_AFTER = 24;
  var SENTENCE_END = /(?<=[.!?…])\s+(?=[„"(]?\p{Lu})/u;
  var BLOCK_END = /<\/(?:p|li|pre|h\d)>|<br\s*\/?>/i;
  var OTHER_TAG = /<(?!\/?mark>)[^>]*>/gi;

  // The sentences of the blocks that can be shown; every other block that holds text stands in
  // as one empty sentence, so that gaps and what follows can still be marked „…“.
  function snippetSentences(html) {
    var marked = html.indexOf("<mark>") >= 0;
    var sentences = [];
    var wanted = 0;
    var blocks = html.split(BLOCK_END);
    for (var number = 0; number < blocks.length; number++) {
      var block = blocks[number];
      if (wanted >= SNIPPET_SENTENCES || (marked && block.indexOf("<mark>") < 0)) {
        if (/\S/.test(block.replace(OTHER_TAG, ""))) {
          sentences.push({ text: "", block: number });
          if (wanted >= SNIPPET_SENTENCES) { break; }  // enough to know that more follows
        }
        continue;
      }
      block.replace(OTHER_TAG, " ").split(SENTENCE_END).forEach(function (sentence) {
        sentence = sentence.replace(/\s+/g, " ").trim();
        if (!sentence) { return; }
        sentences.push({ text: sentence, block: number });
        if (!marked || sentence.indexOf("<mark>") >= 0) { wanted += 1; }
      });
    }
    return sentences;
  }

  function cutAroundMatch(sentence) {
    var words = sentence.split(" ");
    if (words.length <= SNIPPET_WORDS_BEFORE + SNIPPET_WORDS_AFTER) { return sentence; }
    var first = words.findIndex(function (w) { return w.indexOf("<mark>") >= 0; });
    var start = Math.max(0, first - SNIPPET_WORDS_BEFORE);
    var end = Math.min(words.length, Math.max(first, 0) + SNIPPET_WORDS_AFTER);
    return (start > 0 ? "… " : "") + words.slice(start, end).join(" ") +
      (end < words.length ? " …" : "");
  }

  function snippet(html) {
    html = html || "";
    var sentences = snippetSentences(html);
    var marked = html.indexOf("<mark>") >= 0;
    var chosen = [];
    sentences.forEach(function (s, i) {
      if (s.text && (!marked || s.text.indexOf("<mark>") >= 0)) { chosen.push(i); }
    });
    chosen = chosen.slice(0, SNIPPET_SENTENCES);
    if (!chosen.length) { return ""; }
    // Sentences that follow each other in one paragraph read on; any gap is marked „…“.
    var shown = chosen.map(function (index, n) {
      var previous = n > 0 ? chosen[n - 1] : -1;
      var readsOn = n > 0 && index === previous + 1 &&
        sentences[index].block === sentences[previous].block;
      var gap = n === 0 ? (index > 0 ? "… " : "") : (readsOn ? " " : " … ");
      return gap + cutAroundMatch(sentences[index].text);
    }).join("").replace(/… … /g, "… ");
    var rest = chosen[chosen.length - 1] < sentences.length - 1 && !/ …$/.test(shown) ? " …" : "";
    return "<p>" + shown + rest + "</p>";
  }

  /* ---- Marks: the words of a shown text that match the query ------------------------------
   * A word is marked when its token is one the query matched, or starts with one (the search
   * matches beginnings of words as the reader types). Only text is marked, never inside a tag. */
  // Marking runs the rule on every word of every section shown, at each key typed; a site's
  // words repeat, so each word's token is remembered (a few thousand words, never too many).
  var markedTokens = new Map();
  var MARKED_TOKENS_KEPT = 50000;
  function markedToken(word) {
    var token = markedTokens.get(word);
    if (token === undefined) {
      if (markedTokens.size >= MARKED_TOKENS_KEPT) { markedTokens.clear(); }
      token = wordToken(word.replace(/&[a-z]+;|&#\d+;/g, ""));
      markedTokens.set(word, token);
    }
    return token;
  }

  function markWords(html, tokens, separator) {
    if (!tokens.length) { return html; }
    var splitter = new RegExp("(" + separator + ")");
    return html.split(/(<[^>]*>)/).map(function (part) {
      if (part.charAt(0) === "<") { return part; }
      return part.split(splitter).map(function (word) {
        if (!word || splitter.test(word)) { return word; }
        var token = markedToken(word);
        var hit = token && tokens.some(function (t) { return token.indexOf(t) === 0; });
        return hit ? "<mark>" + word + "</mark>" : word;
      }).join("");
    }).join("");
  }

  var api = {
    fold: fold, searchToken: searchToken, isStopWord: isStopWord, wordToken: wordToken,
    searchTokens: searchTokens, queryTokens: queryTokens, snippet: snippet, markWords: markWords,
    SEPARATOR: SEPARATOR
  };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  root.CzechSearch = api;
})(typeof self !== "undefined" ? self : this);
