import { ApiError } from '@/lib/api-client';
import { beaconPosition, forgetTabStream, formatPosition, isTakenOver, rememberTabStream, resumePosition, tabStream } from './playback';

afterEach(() => sessionStorage.clear());

describe('the player model', () => {
  it('writes a position as m:ss, and as h:mm:ss from an hour on', () => {
    expect(formatPosition(0)).toBe('0:00');
    expect(formatPosition(7.9)).toBe('0:07');
    expect(formatPosition(754)).toBe('12:34');
    expect(formatPosition(3599)).toBe('59:59');
    expect(formatPosition(3725)).toBe('1:02:05');
    expect(formatPosition(36000)).toBe('10:00:00');
  });

  it('resumes only past the first five seconds', () => {
    expect(resumePosition(undefined)).toBe(0);
    expect(resumePosition(0)).toBe(0);
    expect(resumePosition(5)).toBe(0);
    expect(resumePosition(6)).toBe(6);
    expect(resumePosition(754)).toBe(754);
  });

  it('sends whole seconds within the week the API takes, and nothing for a time that is not a number', () => {
    expect(beaconPosition(12.7)).toBe(12);
    expect(beaconPosition(-1)).toBe(0);
    expect(beaconPosition(10 ** 7)).toBe(604800);
    expect(beaconPosition(NaN)).toBeUndefined();
  });

  it('knows a stream taken over by its 409 problem type', () => {
    const problem = (status: number, type: string) => new ApiError(status, { title: 'Просмотр продолжен на другом устройстве', type });
    expect(isTakenOver(problem(409, 'https://chance.local/problems/playback-taken-over'))).toBe(true);
    expect(isTakenOver(problem(409, 'playback-taken-over'))).toBe(true);
    expect(isTakenOver(problem(409, 'https://chance.local/problems/conflict'))).toBe(false);
    expect(isTakenOver(problem(403, 'https://chance.local/problems/playback-taken-over'))).toBe(false);
    expect(isTakenOver(new Error('playback-taken-over'))).toBe(false);
  });

  it('remembers the stream this tab started, per rental', () => {
    expect(tabStream('7')).toBeNull();
    rememberTabStream('7', 'AAAAAAAAAAAAAAAAAAAAAA');
    expect(tabStream('7')).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    expect(tabStream('8')).toBeNull();
    forgetTabStream('7');
    expect(tabStream('7')).toBeNull();
  });
});
