import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import {
  Body,
  FilledLine,
  FreeText,
  JoinRequest,
  Line,
  RecordRequest,
  UpdateMemberRequest,
} from '@polyphony/protocol';
import { strictBodyProblems } from './strict-body.ts';

describe('strictBodyProblems', () => {
  it.each([
    ['join', JoinRequest],
    ['record (multi-line text)', RecordRequest],
    ['member edit', UpdateMemberRequest],
    ['every helper', Body({ a: Line(5), b: FilledLine(5), c: FreeText(5) })],
    ['literals and enums', Body({ a: Type.Literal(true), b: Type.Enum(['x', 'y']) })],
    ['closed formats', Body({ a: Type.String({ format: 'uuid' }) })],
    ['unions', Body({ a: Type.Union([Type.Null(), Type.Integer(), Type.Number()]) })],
  ])('passes %s', (_name, schema) => {
    expect(strictBodyProblems(schema)).toEqual([]);
  });

  it.each([
    ['an open object', Type.Object({ a: Type.Boolean() }), 'body: allows unknown properties'],
    ['a nested open object', Body({ o: Type.Object({}) }), 'body.o: allows unknown properties'],
    [
      'pattern properties',
      Body({ r: Type.Record(Type.String(), Type.Boolean()) }),
      'body.r: has pattern properties',
    ],
    ['a bare string', Body({ s: Type.String() }), 'body.s: a string without a pattern'],
    ['an e-mail format alone', Body({ s: Type.String({ format: 'email' }) }), 'body.s: a string'],
    [
      'a pattern that lets NUL through',
      Body({ s: Type.String({ pattern: '\\S' }) }),
      'body.s: accepts U+0 U+7',
    ],
    ['array items', Body({ a: Type.Array(Type.String()) }), 'body.a[]: a string without'],
    ['anything else', Body({ a: Type.Any() }), 'body.a: a shape this check cannot read'],
    ['a union member', Body({ a: Type.Union([Type.String()]) }), 'body.a|0: a string without'],
    ['no schema at all', 'string', 'body: not a schema'],
  ])('refuses %s', (_name, schema, problem) => {
    expect(strictBodyProblems(schema).join('\n')).toContain(problem);
  });
});
