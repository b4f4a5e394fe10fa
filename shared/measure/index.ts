export * from './sessionReducer';
export * from './derived';
