import type { VisitorCatalogue } from './en.js';

export const it: VisitorCatalogue = {
  launcherRegion: 'Chat',
  launcherOpen: 'Apri la chat',
  launcherUnread: 'Apri la chat ({n} non letti)',
  proactiveClose: 'Chiudi il messaggio',
  prechatConsent:
    'Accetto che i dati che fornisco qui siano usati per rispondermi, come descritto nell’informativa sulla privacy.',
  handoff:
    'Passo questa conversazione a una persona. Resta qui: qualcuno del team ti risponderà in questa chat.',
  handoffAction: 'Parla con una persona',
  ratingPrompt: 'Com’è andata? Valuta questa conversazione da 1 a 5.',
  awayUntil:
    'Il nostro team al momento non è disponibile. Qualcuno risponderà da {day} alle {time} ({zone}).',
  awayNoHours:
    'Il nostro team al momento non è disponibile e non ha orari previsti; qualcuno risponderà il prima possibile.',
  emailKnown: 'Abbiamo il tuo indirizzo email e ti risponderemo anche lì.',
  emailOffer:
    'Se lasci qui il tuo indirizzo email, ti risponderemo anche via email. Lo useremo solo per rispondere a questa richiesta.',
  emailThanks: 'Grazie. Risponderemo anche a {email}.',
  chooseOption: 'Scegli una delle opzioni qui sotto.',
  skip: 'Salta',
  suggestions: 'Non sono sicuro di avere la risposta. È una di queste?',
  noAnswer:
    'Mi dispiace, non ho trovato una risposta. Prova a chiedere in un altro modo o parla con una persona.',
  retryEmail: 'Non sembra un indirizzo email. Scrivilo come nome@example.com.',
  retryPhone: 'Non sembra un numero di telefono. Usa solo cifre, eventualmente con + all’inizio.',
  retryOrderNumber: 'Non sembra un numero d’ordine. Ha da 3 a 40 lettere, cifre o trattini.',
  retryText: 'Rispondi con al massimo {max} caratteri.',
  mailSubjectReplies: 'Nuova risposta nella tua conversazione',
  mailSubjectFollowUp: 'Una risposta nella tua conversazione',
  mailSubjectTranscript: 'La trascrizione della tua conversazione',
  mailIntroTranscript: 'Ecco la trascrizione che hai chiesto.',
  mailIntroAnswerByMail: 'Hai una risposta nella tua conversazione. Rispondi a questa email per scriverci.',
  mailIntroAnswerInChat: 'Hai una risposta nella tua conversazione. Apri la chat sul sito per scriverci.',
  mailReplyMarker: '##- Scrivi la tua risposta sopra questa riga -##',
  mailYou: 'Tu',
  mailFile: '[un file: apri la chat per vederlo]',
  mailStop: 'Non ricevere più queste email',
  callStartedAudio: '{agent} ha avviato una chiamata vocale.',
  callStartedVideo: '{agent} ha avviato una videochiamata.',
  callAccepted: 'La chiamata è stata accettata.',
  callDeclined: 'La chiamata è stata rifiutata.',
  callMissed: 'Chiamata persa.',
  callEnded: 'La chiamata è terminata dopo {duration}.',
};
