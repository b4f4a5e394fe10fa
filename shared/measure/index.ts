export * from './sessionReducer';
