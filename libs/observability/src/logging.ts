import { AsyncLocalStorage } from 'node:async_hooks';
import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { Logger as NestPinoLogger, LoggerModule, type Params, PinoLogger } from 'nestjs-pino';
import pino, { type DestinationStream, type LevelWithSilent, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { serializeError } from './safe-errors';

/** The process's pino logger: every line the api and the worker write goes through it. */
export type ProcessLogger = Logger;

export interface LogSettings {
  /** The lowest level written (LOG_LEVEL). */
  level: LevelWithSilent;
  /** LOG_FORMAT; null: pretty when stdout is a terminal, JSON otherwise. */
  format: 'json' | 'pretty' | null;
}

/** Injection token of the ProcessLogger. */
export const PROCESS_LOGGER = Symbol.for('ledgerline.ProcessLogger');

/**
 * Headers that carry credentials, should anything log a headers object (or an error carrying one).
 * Requests are logged through the `req` serializer (method and path, no header, no query string).
 */
const SECRET_HEADERS = [
  'authorization',
  'cookie',
  'set-cookie',
  'stripe-signature',
  'x-api-key',
  'x-api-token',
  'api-key',
];
const REDACTED_PATHS = ['headers', 'err.headers'].flatMap((parent) =>
  SECRET_HEADERS.map((header) => `${parent}["${header}"]`),
);

/** A request as logged: method and path, never headers, query string or body. */
interface LoggedRequest {
  method?: string;
  path?: string;
  originalUrl?: string;
  url?: string;
}

/**
 * The path as a log may show it: without its query string (search terms are what users type), and
 * with every segment that is not an identifier's shape (letters, digits, `_ - . :` up to 100
 * characters) or that holds a run of 12 digits (a card number typed where an id goes) shown as `…`.
 * Ids stay, so a 404 still says which record; an email or a card number typed into a URL does not.
 */
export function pathOf(request: LoggedRequest): string {
  const url = request.originalUrl ?? request.url ?? request.path ?? '/';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return path
    .split('/')
    .map((segment) => (ID_SHAPED.test(segment) && !CARD_LIKE.test(segment) ? segment : '…'))
    .join('/');
}

const ID_SHAPED = /^[A-Za-z0-9_.:-]{0,100}$/;
const CARD_LIKE = /\d{12}/;

const requestIds = new AsyncLocalStorage<string>();

/** Runs `handle` as the handling of request `id`: every line logged meanwhile carries `reqId: id`. */
export function runWithRequestId(id: string, handle: () => void): void {
  requestIds.run(id, handle);
}

/** True when lines should be pretty-printed: LOG_FORMAT=pretty, or unset and stdout is a terminal. */
export function prettyLogs(format: LogSettings['format'], stdout: { isTTY?: boolean } = process.stdout): boolean {
  return format === 'pretty' || (format === null && stdout.isTTY === true);
}

/**
 * One JSON object a line on stdout: `level` (its name), `time` (ISO 8601), `msg`, `name` (api or
 * worker), pid and hostname, `reqId` while a request is handled (runWithRequestId), and whatever
 * the line adds (`context`, `err`). Written
 * synchronously, so no line is lost when the process exits or is killed right after it. On a
 * terminal (or LOG_FORMAT=pretty) the same lines are pretty-printed instead.
 */
export function createProcessLogger(name: string, settings: LogSettings, destination?: DestinationStream): Logger {
  const pretty = prettyLogs(settings.format);
  return pino(
    {
      name,
      level: settings.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Whatever logs `req` or `res` (even a whole request object) gets these fields and no others.
      serializers: {
        req: (request: LoggedRequest) => ({ method: request.method, path: pathOf(request) }),
        res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
        // No query parameters or database messages (they quote what users sent): safe-errors.ts.
        err: serializeError,
      },
      // Cheap: redacting under `req`/`res` too cost 7 µs a line (the serializers keep headers out).
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // pino merges each line into what this returns: a new object every time.
      mixin: () => {
        const reqId = requestIds.getStore();
        return reqId === undefined ? {} : { reqId };
      },
    },
    destination ?? (pretty ? prettyDestination() : pino.destination({ dest: 1, sync: true })),
  );
}

/** A logger that writes nothing (in-process tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * pino-pretty as a synchronous destination: its stream form formats on a later tick, so a line
 * logged just before `process.exit` (a configuration error, a failed start) would never show.
 * Colours when the terminal takes them (and NO_COLOR is unset).
 */
export function prettyDestination(write: (text: string) => void = stdoutWriter()): DestinationStream {
  const format = prettyFactory({
    translateTime: 'SYS:HH:MM:ss.l',
    // The access line's message says it all (`GET /health 200 in 3 ms`): its fields would only repeat it.
    ignore: 'pid,hostname,context,reqId,req,res,responseTime',
    messageFormat: '{if context}{context}: {end}{msg}{if reqId} [{reqId}]{end}',
  });
  return { write: (line: string) => write(format(line)) };
}

function stdoutWriter(): (text: string) => void {
  const stdout = pino.destination({ dest: 1, sync: true });
  return (text) => void stdout.write(text);
}

/**
 * nestjs-pino over the process logger. It keeps one root logger per process (the first it is
 * given), which is all a Ledgerline process has. Its per-request middleware (pino-http) is not
 * mounted: HttpObserver tracks requests in front of Express, the webhook too, and the logger's
 * mixin puts the `reqId` on lines logged while handling one.
 */
function nestjsPinoParams(logger: Logger): Params {
  // wrapSerializers false: its root logger keeps our serializers instead of pino-http's (headers and all).
  return { pinoHttp: { logger, wrapSerializers: false }, useExisting: true, forRoutes: [] };
}

/**
 * Nest's own logger (start-up lines, `new Logger('Projections')` in our code) over the process
 * logger, for `NestFactory.create(..., { logger })`: given at creation, so even a failing start-up
 * logs through it.
 */
export function nestLogger(logger: Logger): LoggerService {
  const params = nestjsPinoParams(logger);
  return new NestPinoLogger(new PinoLogger(params), params);
}

/** The process logger in Nest: PROCESS_LOGGER, and nestjs-pino's Logger and PinoLogger. */
@Module({})
export class LoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: LoggingModule,
      global: true,
      imports: [LoggerModule.forRoot(nestjsPinoParams(logger))],
      providers: [{ provide: PROCESS_LOGGER, useValue: logger }],
      exports: [PROCESS_LOGGER, LoggerModule],
    };
  }
}
