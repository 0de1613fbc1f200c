import { describe, expect, it } from 'vitest';
import { backendError, reprError, tracebackMessage } from '../../../src-main/probes/celery/celeryExceptionText.js';

/**
 * Expected texts are what /usr/bin/python3 (3.11) printed for `repr(exc)` and `str(exc)`:
 *   KeyError("it's")                    → "it's" (with its double quotes)
 *   KeyError('a"b\'c')                  → 'a"b\'c'
 *   ValueError('tab\there', [1, None, True], {'k': (1,)}) → ('tab\there', [1, None, True], {'k': (1,)})
 *   KeyError(('x',))                    → ('x',)
 *   ValueError('\x07\u200b😀é')          → the text itself (str does not escape)
 *   FileNotFoundError(2, 'x', None)     → [Errno 2] x
 */
describe('exception messages as Python prints them', () => {
  it('from the repr the events carry, without a usable traceback', () => {
    expect(reprError('KeyError("it\'s")', null)).toEqual({ type: 'KeyError', message: '"it\'s"', traceback: null });
    expect(reprError("KeyError('a\"b\\'c')", null).message).toBe("'a\"b\\'c'");
    expect(reprError("ValueError('tab\\there', [1, None, True], {'k': (1,)})", null).message).toBe("('tab\\there', [1, None, True], {'k': (1,)})");
    expect(reprError("KeyError(('x',))", null).message).toBe("('x',)");
    expect(reprError("ValueError('\\x07\\u200b😀é')", null).message).toBe('\x07\u200b😀é');
    expect(reprError("FileNotFoundError(2, 'x', None)", null).message).toBe('[Errno 2] x');
    expect(reprError('KeyError()', null).message).toBe('');
    // Not a plain literal: the text inside the parentheses, as it was.
    expect(reprError('MyError(<object at 0x7f>)', null)).toEqual({ type: 'MyError', message: '<object at 0x7f>', traceback: null });
    expect(reprError('something odd', null)).toEqual({ type: null, message: 'something odd', traceback: null });
  });

  it('from the backend\'s args, repr-quoting what Python quotes', () => {
    expect(backendError({ exc_type: 'KeyError', exc_message: ['a"b\'c'], exc_module: 'builtins' }, null).message).toBe("'a\"b\\'c'");
    expect(backendError({ exc_type: 'ValueError', exc_message: ['tab\there', [1, null, true], { k: [1] }], exc_module: 'builtins' }, null).message)
      .toBe("('tab\\there', [1, None, True], {'k': [1]})");
    expect(backendError({ exc_type: 'PermissionError', exc_message: [13, 'Permission denied'], exc_module: 'builtins' }, null).message).toBe('[Errno 13] Permission denied');
    // Not a builtin KeyError: BaseException's rule (str of the one arg).
    expect(backendError({ exc_type: 'KeyError', exc_message: ['x'], exc_module: 'app.errors' }, null).message).toBe('x');
  });

  it('the traceback\'s last line wins when it is this exception\'s, over several lines and chained blocks', () => {
    const tb = [
      'Traceback (most recent call last):', '  File "a.py", line 1, in f', '    g()', 'ValueError: first', '',
      'During handling of the above exception, another exception occurred:', '',
      'Traceback (most recent call last):', '  File "a.py", line 3, in f', '    raise Custom("x")', 'app.Custom: LINE ONE', 'line: two', '',
    ].join('\n');
    expect(tracebackMessage(tb, 'Custom', 'app')).toBe('LINE ONE\nline: two');
    expect(tracebackMessage(tb, 'Custom', null)).toBe('LINE ONE\nline: two');
    expect(tracebackMessage(tb, 'Custom', 'other')).toBeNull();
    expect(tracebackMessage(tb, 'ValueError', 'builtins')).toBeNull();
    expect(backendError({ exc_type: 'Custom', exc_message: ['x'], exc_module: 'app' }, tb).message).toBe('LINE ONE\nline: two');
    expect(tracebackMessage('Traceback (most recent call last):\n  File "a.py", line 1, in f\nKeyError\n', 'KeyError', 'builtins')).toBe('');
  });
});
