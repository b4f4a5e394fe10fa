// dcmjs ships no type declarations; shared/rt/exportRtStruct.ts types the few calls it makes.
declare module 'dcmjs';
