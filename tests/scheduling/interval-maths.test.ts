import { intersect, mergeIntervals, subtract, type Interval } from '../../src/scheduling';

// Intervals as [start, end) pairs of small numbers: the maths does not care about units.
type Pair = [number, number];
const list = (pairs: Pair[]): Interval[] => pairs.map(([start, end]) => ({ start, end }));
const pairs = (intervals: Interval[]): Pair[] => intervals.map((i) => [i.start, i.end]);

describe('mergeIntervals', () => {
  const cases: Array<[string, Pair[], Pair[]]> = [
    ['empty', [], []],
    ['unsorted, overlapping and touching', [[5, 7], [1, 3], [3, 4], [6, 9]], [[1, 4], [5, 9]]],
    ['nested', [[1, 10], [2, 3], [4, 5]], [[1, 10]]],
    ['empty and reversed intervals dropped', [[2, 2], [5, 4], [1, 2]], [[1, 2]]],
  ];
  test.each(cases)('%s', (_why, input, expected) => {
    expect(pairs(mergeIntervals(list(input)))).toEqual(expected);
  });
});

describe('intersect', () => {
  const cases: Array<[string, Pair[], Pair[], Pair[]]> = [
    ['either side empty', [[1, 5]], [], []],
    ['both empty', [], [], []],
    ['edges touching meet nowhere', [[1, 3]], [[3, 5]], []],
    ['identical', [[1, 3]], [[1, 3]], [[1, 3]]],
    ['partial overlap', [[1, 5]], [[3, 8]], [[3, 5]]],
    ['nested keeps the inner one', [[0, 10]], [[2, 4]], [[2, 4]]],
    ['many to one', [[0, 2], [3, 5], [6, 8]], [[1, 7]], [[1, 2], [3, 5], [6, 7]]],
    ['many to many', [[0, 4], [6, 10], [12, 14]], [[2, 7], [9, 13]], [[2, 4], [6, 7], [9, 10], [12, 13]]],
    ['unsorted, overlapping input is normalised', [[6, 10], [0, 4], [3, 5]], [[4, 7]], [[4, 5], [6, 7]]],
    ['results touching across a merge of the input', [[0, 5], [5, 10]], [[3, 7]], [[3, 7]]],
  ];
  test.each(cases)('%s', (_why, a, b, expected) => {
    expect(pairs(intersect(list(a), list(b)))).toEqual(expected);
    expect(pairs(intersect(list(b), list(a)))).toEqual(expected); // symmetric
  });
});

describe('subtract', () => {
  const cases: Array<[string, Pair[], Pair[], Pair[]]> = [
    ['nothing removed', [[1, 5]], [], [[1, 5]]],
    ['from empty', [], [[1, 5]], []],
    ['edges touching remove nothing', [[3, 5]], [[1, 3], [5, 8]], [[3, 5]]],
    ['removing everything', [[1, 5]], [[0, 6]], []],
    ['exactly itself', [[1, 5]], [[1, 5]], []],
    ['a hole in the middle', [[0, 10]], [[3, 4]], [[0, 3], [4, 10]]],
    ['head and tail cut', [[0, 10]], [[-2, 2], [8, 12]], [[2, 8]]],
    ['one cut spanning two intervals', [[0, 4], [6, 10]], [[3, 7]], [[0, 3], [7, 10]]],
    ['many to many', [[0, 5], [10, 15], [20, 25]], [[1, 2], [4, 11], [14, 21], [24, 30]], [[0, 1], [2, 4], [11, 14], [21, 24]]],
    ['unsorted, overlapping input is normalised', [[6, 10], [0, 7]], [[2, 3], [2, 4]], [[0, 2], [4, 10]]],
  ];
  test.each(cases)('%s', (_why, from, remove, expected) => {
    expect(pairs(subtract(list(from), list(remove)))).toEqual(expected);
  });

  test('does not mutate its inputs', () => {
    const from = list([[0, 10]]);
    const remove = list([[3, 4]]);
    subtract(from, remove);
    intersect(from, remove);
    expect(pairs(from)).toEqual([[0, 10]]);
    expect(pairs(remove)).toEqual([[3, 4]]);
  });
});
