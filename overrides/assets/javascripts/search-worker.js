/* Search worker: Material's search box and result list ask, Pagefind answers.
 *
 * Material's own worker loads one index of the whole site before the first result (35 MB at 150
 * methodologies). Pagefind's index is split into chunks by word, so a query downloads only the
 * chunks of its words, then one small file of ours per page it shows (its sections' texts and
 * where each begins); Pagefind's own page records are never fetched.
 * Messages as Material 9 sends them (integrations/search/worker): SETUP → READY, QUERY → RESULT
 * with `items`, one list per page, its sections first and the page itself last.
 * Every query goes through the same Czech token rule as the index (czech-search.js, tested
 * against metodiky/search.py): the index holds tokens, never the words.
 */
"use strict";
importScripts("czech-search.js");

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
// Pages a query shows, best first, and the sections shown of each.
var SHOWN_PAGES = 10;
var SECTIONS_PER_PAGE = 2;
// A long page is penalised for its length a little (a chapter mentions everything somewhere);
// a word matched whole counts well above a longer word it only begins (the reader typed it
// whole). Measured on bench/search_queries.yml (bench/search-results.md).
var RANKING = { pageLength: 0.3, termSimilarity: 3.0 };
var SITE_ROOT = new URL("../../", self.location.href);
var czech = self.CzechSearch;
var engine = null;

// Pagefind (its script and its WebAssembly) is fetched with the first query, not with the page,
// and with it the page ids in reading order and the words most pages have
// (metodiky/search_index.py, READING_ORDER_FILE and COMMON_WORDS_FILE).
function pagefind() {
  if (!engine) {
    var module = import(new URL("pagefind/pagefind.js", SITE_ROOT).href).then(function (module) {
      return module.options({ basePath: new URL("pagefind/", SITE_ROOT).href, ranking: RANKING }).then(function () {
        return module;
      });
    });
    var order = fetchJson("pagefind/poradi.json").then(function (ids) {
      return new Map(ids.map(function (id, place) { return [id, place]; }));
    });
    var common = fetchJson("pagefind/caste.json").then(function (counts) {
      return new Map(Object.entries(counts));
    });
    engine = Promise.all([module, order, common]).then(function (loaded) {
      return { module: loaded[0], order: loaded[1], common: loaded[2] };
    });
    engine.catch(function () { engine = null; });  // offline now, perhaps not the next time
  }
  return engine;
}

function fetchJson(path) {
  return fetch(new URL(path, SITE_ROOT).href).then(function (response) {
    if (!response.ok) { throw new Error(response.status + " " + response.url); }
    return response.json();
  });
}

// The typed words a reader can see marked as found or missing (Material shows missing ones
// struck through), each with the tokens that stand for it.
function queryWords(query) {
  var words = query.split(new RegExp(czech.SEPARATOR)).filter(Boolean);
  return words.map(function (word, index) {
    var tokens = [czech.wordToken(word)];
    if (index > 0) {
      var joined = czech.queryTokens(words[index - 1] + " " + word, czech.SEPARATOR);
      if (joined.length) { tokens.push(joined[joined.length - 1]); }
    }
    return { word: word, tokens: tokens.filter(Boolean) };
  }).filter(function (entry) { return entry.tokens.length; });
}

// A number is indexed between two letters (metodiky/search_index.py, index_word): the ordinal 1
// of „obec I. typu“ must match the number 1 only, not every „128/2000“, 10 or 1999.
var NUMBER_MARK = "c";
function indexWord(token) {
  return /^\d+$/.test(token) ? NUMBER_MARK + token + NUMBER_MARK : token;
}

// Each token is searched alone, and once more as a word of a title (metodiky/search_index.py,
// TITLE_MARK). Kept for the last few words: each key typed asks again for the words before it.
var TITLE_MARK = "zz";
var KEPT_WORDS = 24;
var wordResults = new Map();
function searchWord(module, word) {
  if (!wordResults.has(word)) {
    var found = module.search(word).then(function (search) {
      return (search && search.results) || [];
    });
    found.catch(function () { wordResults.delete(word); });
    wordResults.set(word, found);
    if (wordResults.size > KEPT_WORDS) { wordResults.delete(wordResults.keys().next().value); }
  }
  return wordResults.get(word);
}

// Pagefind's time for a word grows with the places it is found at, and it returns all of them:
// a token most pages of a large site have costs tens of milliseconds (search_index.py,
// COMMON_WORDS_FILE). Such a token is searched only in the pages the query's other tokens and
// every token's title form found, and only in the best CANDIDATE_PAGES of them after copies are
// left out: more than the pages shown, so that the common tokens can still reorder them. Title
// forms are always searched in full: a title alone can make a page the answer („navázat
// kontakt“ finds „První kontakt“), and a query of common words only finds its candidates by
// them (measured at 50× content: the same answers as with every word searched in full). When
// they and the other tokens find fewer pages than that, the rarest common token is searched in
// full too. In a site where no token is that common, all is searched in full.
var CANDIDATE_PAGES = 40;
var PLACE_FILTER = "p";
function pagesWith(loaded, word) {
  var most = 0;
  loaded.common.forEach(function (count, common) {
    if (count > most && common.lastIndexOf(word, 0) === 0) { most = count; }
  });
  return most;  // at least this many pages; 0: not a common word
}

// Each token's two words (itself, its title form): those searched in full, and the common
// tokens, rarest first, searched in the candidates.
function searchedWords(loaded, tokens) {
  var words = tokens.map(function (token) {
    var word = indexWord(token);
    return { token: token, word: word, title: false, pages: pagesWith(loaded, word) };
  });
  var common = words.filter(function (searched) { return searched.pages; });
  common.sort(function (a, b) { return a.pages - b.pages; });
  var full = words.filter(function (searched) { return !searched.pages; });
  tokens.forEach(function (token) {
    full.push({ token: token, word: TITLE_MARK + indexWord(token), title: true });
  });
  return { full: full, common: common };
}

// A page's scores are summed and grow with the share of the query's tokens found:
// score × (1 + share)², so a strong title match on one word can beat weak matches on all.
// Pages that score alike (a text copied into another methodology): the one read first wins,
// and a page matching at exactly the same places as one before it is that page's copy: shown
// once, so copies do not push other answers out of the list.
async function rankPages(loaded, tokens) {
  var pages = new Map();
  function add(searched, results) {
    results.forEach(function (result) {
      if (!pages.has(result.id)) { pages.set(result.id, { id: result.id, score: 0, results: [] }); }
      var entry = pages.get(result.id);
      entry.score += result.score;
      if (!searched.title) { entry.results.push({ token: searched.token, words: result.words }); }
    });
  }
  async function searchInFull(words) {
    var found = await Promise.all(words.map(function (searched) {
      return searchWord(loaded.module, searched.word);
    }));
    words.forEach(function (searched, index) { add(searched, found[index]); });
  }
  var words = searchedWords(loaded, tokens);
  await searchInFull(words.full);
  var later = words.common;
  if (later.length && pages.size < CANDIDATE_PAGES) { await searchInFull(later.splice(0, 1)); }
  if (!later.length) { return best(loaded, Array.from(pages.values()), tokens, SHOWN_PAGES); }
  var candidates = best(loaded, Array.from(pages.values()), tokens, CANDIDATE_PAGES);
  var filters = {};
  filters[PLACE_FILTER] = { any: candidates.map(function (entry) { return String(entry.order); }) };
  var found = await Promise.all(later.map(function (searched) {
    return loaded.module.search(searched.word, { filters: filters });
  }));
  pages = new Map(candidates.map(function (entry) { return [entry.id, entry]; }));
  later.forEach(function (searched, index) {
    add(searched, ((found[index] && found[index].results) || []).filter(function (result) {
      return pages.has(result.id);
    }));
  });
  return best(loaded, candidates, tokens, SHOWN_PAGES);
}

// The `count` best pages, copies left out.
function best(loaded, all, tokens, count) {
  all.forEach(function (entry) {
    entry.rank = entry.score * Math.pow(1 + entry.results.length / tokens.length, 2);
    entry.order = loaded.order.has(entry.id) ? loaded.order.get(entry.id) : Number.MAX_SAFE_INTEGER;
  });
  all.sort(function (a, b) {
    return b.rank - a.rank || a.order - b.order;
  });
  var seen = new Set();
  var shown = [];
  for (var i = 0; i < all.length && shown.length < count; i++) {
    var key = all[i].rank + "|" + all[i].results.map(function (found) {
      return found.token + ":" + found.words.join(",");
    }).join(";");
    if (!seen.has(key)) {
      seen.add(key);
      shown.push(all[i]);
    }
  }
  return shown;
}

// A matched word counts as Pagefind counts it in its record's sections (weight² × length
// bonus): its weight by the part of its section it is in (metodiky/search_index.py:
// TITLE_WEIGHT, TEXT_WEIGHT, SYNONYM_WEIGHT, times the page's weight), and less the longer the
// word is than the token that begins it (Pagefind's word_length_bonus; the page's file holds
// every word's length).
var TITLE_WEIGHT = 10, TEXT_WEIGHT = 0.25, SYNONYM_WEIGHT = 0.5;
function lengthBonus(wordLength, tokenLength) {
  var differential = Math.abs(wordLength - tokenLength) + 1;
  var base = Math.exp(-0.5 * differential * differential / 4);
  return Math.exp(base * RANKING.termSimilarity) / Math.exp(RANKING.termSimilarity);
}

// The section a word at this position belongs to: the last one starting at or before it.
function sectionAt(sections, position) {
  var low = 0, high = sections.length - 1;
  while (low < high) {
    var middle = (low + high + 1) >> 1;
    if (sections[middle].start <= position) { low = middle; } else { high = middle - 1; }
  }
  return sections[low];
}

// The sections of a page that hold the query's tokens, found from the positions of the matched
// words in the search results and where each section begins (the page's file): the sections
// with most of the query's tokens, then the highest score.
function pageSections(page, shownPage) {
  var sections = new Map();
  var pageWeight = shownPage.weight === undefined ? 1 : shownPage.weight;
  page.results.forEach(function (match) {
    var tokenLength = indexWord(match.token).length;
    match.words.forEach(function (position) {
      var section = sectionAt(shownPage.sections, position);
      var found = sections.get(section);
      if (!found) {
        found = { section: section, score: 0, tokens: new Set() };
        sections.set(section, found);
      }
      var offset = position - section.start;
      var weight = pageWeight * (offset < section.title_words ? TITLE_WEIGHT
        : offset < section.title_words + section.text_words ? TEXT_WEIGHT : SYNONYM_WEIGHT);
      var wordLength = shownPage.word_lengths.charCodeAt(position) - 96;  // "a" is one letter
      found.score += weight * weight * lengthBonus(wordLength, tokenLength);
      found.tokens.add(match.token);
    });
  });
  return Array.from(sections.values()).sort(function (a, b) {
    return b.tokens.size - a.tokens.size || b.score - a.score;
  }).slice(0, SECTIONS_PER_PAGE);
}

// Then, as Material ranks its own results, a section's score grows with the share of the
// query's tokens found in it, and more for a page's opening: score × (1 + (opening + share)²).
function rank(items, tokenCount) {
  items.forEach(function (entry) {
    var share = entry.found.tokens.size / tokenCount;
    var opening = entry.location === entry.page ? 1 : 0;
    entry.score = entry.found.score * (1 + Math.pow(opening + share, 2)) * entry.weight;
    delete entry.found;
    delete entry.weight;
  });
  return items.sort(function (a, b) { return b.score - a.score; });
}

// What results show of a page – its sections' titles, texts and where each begins – is one
// small file (the index holds tokens only), fetched right after the index chunks. Kept while the
// page is open: each key typed asks again for much the same pages.
var shownPages = new Map();
function shownPage(id) {
  if (!shownPages.has(id)) {
    var url = new URL("pagefind/texty/" + id + ".json", SITE_ROOT).href;
    var page = fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(response.status + " " + response.url); }
      return response.json();
    });
    page.catch(function () { shownPages.delete(id); });  // offline now, perhaps not the next time
    shownPages.set(id, page);
  }
  return shownPages.get(id);
}

function item(shown, found, words) {
  var meta = found.section;
  var tokens = Array.from(found.tokens);
  var terms = {};
  words.forEach(function (entry) {
    terms[entry.word] = entry.tokens.some(function (token) { return found.tokens.has(token); });
  });
  return {
    location: meta.location,
    title: czech.markWords(meta.title || "", tokens, czech.SEPARATOR),
    text: czech.snippet(czech.markWords(meta.text || "", tokens, czech.SEPARATOR)),
    found: found,
    weight: shown.weight === undefined ? 1 : shown.weight,
    terms: terms,
    page: shown.location,
    pageTitle: shown.page,
    tags: shown.tags && shown.tags.length ? shown.tags : undefined
  };
}

// One list per page, in the order of its best section: the sections, then the page itself
// (Material renders the page as the heading of its sections, with the methodology's tag).
function groupByPage(items) {
  var pages = new Map();
  items.forEach(function (entry) {
    if (!pages.has(entry.page)) { pages.set(entry.page, []); }
    pages.get(entry.page).push(entry);
  });
  return Array.from(pages.entries()).map(function (pair) {
    var location = pair[0], group = pair[1], first = group[0];
    var own = group.find(function (entry) { return entry.location === location; });
    if (!own) {
      own = { location: location, title: first.pageTitle, text: "", score: 0, terms: {} };
      group.push(own);
    }
    own.tags = first.tags;
    group.forEach(function (entry) {
      delete entry.page;
      delete entry.pageTitle;
      if (entry !== own) { delete entry.tags; }
    });
    return group;
  });
}

async function search(query) {
  var words = queryWords(query);
  var tokens = Array.from(new Set([].concat.apply([], words.map(function (w) { return w.tokens; }))));
  if (!tokens.length) { return { items: [] }; }
  var pages = await rankPages(await pagefind(), tokens);
  var perPage = await Promise.all(pages.map(async function (page) {
    var shown = await shownPage(page.id);
    return pageSections(page, shown).map(function (found) { return item(shown, found, words); });
  }));
  var items = [].concat.apply([], perPage);
  return { items: groupByPage(rank(items, tokens.length)) };
}

// Queries come with every keystroke; only the newest waiting one is answered next, so an older,
// slower answer never replaces a newer one.
var running = false;
var waiting = null;

async function answer() {
  running = true;
  while (waiting !== null) {
    var query = waiting;
    waiting = null;
    var result;
    try {
      result = await search(query);
    } catch (error) {
      console.warn("Vyhledávání selhalo:", error);
      result = { items: [] };
    }
    if (waiting === null) { postMessage({ type: RESULT, data: result }); }
  }
  running = false;
}

addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    waiting = message.data;
    if (!running) { answer(); }
  }
});
